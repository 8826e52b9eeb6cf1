package dev.ccr.server.rpc;

import dev.ccr.protocol.ErrorCodes;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.jsonrpc.services.JsonNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets requests through only between {@code initialize} and {@code shutdown}, for every method of every segment, in
 * one place: before, they fail with {@link ErrorCodes#SERVER_NOT_INITIALIZED}; after, with
 * {@link ErrorCodes#SHUTTING_DOWN}. Notifications outside that window are dropped, as JSON-RPC allows.
 */
final class RpcGate {
    private static final Logger log = LoggerFactory.getLogger(RpcGate.class);

    enum Phase {
        NEW,
        READY,
        SHUT_DOWN
    }

    private volatile Phase phase = Phase.NEW;

    Phase phase() {
        return phase;
    }

    void open() {
        phase = Phase.READY;
    }

    void close() {
        phase = Phase.SHUT_DOWN;
    }

    /** Wraps a segment so that each call passes the gate first. */
    <T> T guard(Class<T> segment, T target) {
        InvocationHandler handler = (proxy, method, args) -> call(target, method, args);
        return segment.cast(Proxy.newProxyInstance(segment.getClassLoader(), new Class<?>[] {segment}, handler));
    }

    private Object call(Object target, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return method.invoke(target, args);
        }
        boolean notification = method.isAnnotationPresent(JsonNotification.class);
        Phase now = phase;
        if (now != Phase.READY) {
            if (notification) {
                log.debug("dropped {} before initialize or after shutdown", method.getName());
                return null;
            }
            return CompletableFuture.failedFuture(
                    now == Phase.NEW
                            ? RpcErrors.error(
                                    ErrorCodes.SERVER_NOT_INITIALIZED, "the editor must send initialize first")
                            : RpcErrors.error(ErrorCodes.SHUTTING_DOWN, "the server is shutting down"));
        }
        try {
            return method.invoke(target, args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (notification) {
                log.warn("{} failed", method.getName(), e.getCause());
                return null;
            }
            return CompletableFuture.failedFuture(e.getCause());
        }
    }
}
