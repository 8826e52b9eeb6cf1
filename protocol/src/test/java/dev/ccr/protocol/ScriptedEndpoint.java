package dev.ccr.protocol;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.services.JsonDelegate;
import org.eclipse.lsp4j.jsonrpc.services.JsonNotification;
import org.eclipse.lsp4j.jsonrpc.services.JsonRequest;
import org.eclipse.lsp4j.jsonrpc.services.JsonSegment;

/**
 * Implements a protocol interface (and its segments) for tests: records the params each method receives and answers
 * requests with whatever was scripted for that method, a result or an error.
 */
final class ScriptedEndpoint {
    private final Map<String, Object> answers = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Object>> received = new ConcurrentHashMap<>();

    /** The next call of {@code method} answers with this result, or fails with it when it is a {@link ResponseError}. */
    void answer(String method, Object resultOrError) {
        answers.put(method, resultOrError == null ? NULL : resultOrError);
    }

    /** Completes with the params of the next call of {@code method} ({@link #NULL} for none). */
    CompletableFuture<Object> received(String method) {
        return received.computeIfAbsent(method, m -> new CompletableFuture<>());
    }

    /** Forgets what {@code method} received, so that {@link #received} waits for its next call. */
    void forget(String method) {
        received.remove(method);
    }

    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "(no params)";
        }
    };

    <T> T implement(Class<T> type) {
        return implement(type, "");
    }

    private <T> T implement(Class<T> type, String prefix) {
        InvocationHandler handler = (proxy, method, args) -> invoke(prefix, method, args);
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }

    private Object invoke(String prefix, Method method, Object[] args) {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "toString" -> "ScriptedEndpoint";
                case "hashCode" -> System.identityHashCode(this);
                case "equals" -> false;
                default -> null;
            };
        }
        if (method.isAnnotationPresent(JsonDelegate.class)) {
            Class<?> segment = method.getReturnType();
            return implement(segment, segment.getAnnotation(JsonSegment.class).value() + "/");
        }
        JsonRequest request = method.getAnnotation(JsonRequest.class);
        JsonNotification notification = method.getAnnotation(JsonNotification.class);
        String annotated = request != null ? request.value() : notification.value();
        String name = annotated.isEmpty() ? prefix + method.getName() : annotated;
        received(name).complete(args == null || args.length == 0 || args[0] == null ? NULL : args[0]);
        if (request == null) {
            return null;
        }
        Object answer = answers.remove(name);
        if (answer == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no answer scripted for " + name));
        }
        if (answer instanceof ResponseError error) {
            return CompletableFuture.failedFuture(new ResponseErrorException(error));
        }
        return CompletableFuture.completedFuture(answer == NULL ? null : answer);
    }
}
