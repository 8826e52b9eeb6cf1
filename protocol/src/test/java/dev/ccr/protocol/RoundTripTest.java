package dev.ccr.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.ccr.protocol.Fixtures.Example;
import dev.ccr.protocol.Fixtures.RpcMethod;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.json.MessageJsonHandler;
import org.eclipse.lsp4j.jsonrpc.messages.Message;
import org.eclipse.lsp4j.jsonrpc.messages.NotificationMessage;
import org.eclipse.lsp4j.jsonrpc.messages.RequestMessage;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseMessage;
import org.eclipse.lsp4j.jsonrpc.services.JsonDelegate;
import org.eclipse.lsp4j.jsonrpc.services.JsonSegment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example of every fixture, sent through real LSP4J launchers connected by crossed pipes: the receiving side
 * gets exactly the params of the fixture, and the sending side exactly its result or error.
 */
class RoundTripTest {
    private static final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "round-trip-test");
        thread.setDaemon(true);
        return thread;
    });
    private static final ScriptedEndpoint server = new ScriptedEndpoint();
    private static final ScriptedEndpoint editor = new ScriptedEndpoint();
    private static Launcher<CcrClient> serverSide;
    private static Launcher<CcrServer> editorSide;

    @BeforeAll
    static void connect() throws IOException {
        // OS pipes rather than java.io's piped streams, which fail once the thread that last wrote has ended.
        Pipe editorToServer = Pipe.open();
        Pipe serverToEditor = Pipe.open();
        serverSide = CcrLauncher.serverLauncher(
                server.implement(CcrServer.class),
                Channels.newInputStream(editorToServer.source()),
                Channels.newOutputStream(serverToEditor.sink()),
                executor,
                null,
                null);
        editorSide = CcrLauncher.clientLauncher(
                editor.implement(CcrClient.class),
                Channels.newInputStream(serverToEditor.source()),
                Channels.newOutputStream(editorToServer.sink()),
                executor);
        serverSide.startListening();
        editorSide.startListening();
    }

    @AfterAll
    static void disconnect() {
        executor.shutdownNow();
    }

    static List<Example> examples() {
        return Fixtures.examples();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void arrivesAndAnswersExactlyAsTheFixtureSays(Example example) throws Exception {
        String name = example.message().get("method").getAsString();
        RpcMethod method = Fixtures.methods().get(name);
        MessageJsonHandler json = CcrLauncher.messageJsonHandler();
        json.setMethodProvider(id -> name);
        Object params = paramsOf(json.parseMessage(example.message().toString()));

        boolean toServer = method.direction().equals("toServer");
        ScriptedEndpoint receiver = toServer ? server : editor;
        Object sender = toServer ? editorSide.getRemoteProxy() : serverSide.getRemoteProxy();
        ResponseMessage expected = example.response() == null
                ? null
                : (ResponseMessage) json.parseMessage(example.response().toString());
        if (expected != null) {
            receiver.answer(name, expected.getError() != null ? expected.getError() : expected.getResult());
        }
        CompletableFuture<Object> arrived = receiver.received(name);

        Object returned = call(sender, method.javaMethod(), params);

        assertThat(arrived.get(5, TimeUnit.SECONDS)).isEqualTo(params == null ? ScriptedEndpoint.NULL : params);
        receiver.forget(name); // the next example of this method waits afresh
        if (expected == null) {
            assertThat(returned).isNull();
            return;
        }
        CompletableFuture<?> answer = (CompletableFuture<?>) returned;
        if (expected.getError() == null) {
            assertThat(answer.get(5, TimeUnit.SECONDS)).isEqualTo(expected.getResult());
        } else {
            Throwable failure = catchThrowable(() -> answer.get(5, TimeUnit.SECONDS));
            assertThat(failure).isInstanceOf(ExecutionException.class);
            assertThat(failure.getCause()).isInstanceOf(ResponseErrorException.class);
            ResponseError error = ((ResponseErrorException) failure.getCause()).getResponseError();
            assertThat(error.getCode()).isEqualTo(expected.getError().getCode());
            assertThat(error.getMessage()).isEqualTo(expected.getError().getMessage());
            assertThat(error.getData()).isEqualTo(expected.getError().getData());
        }
    }

    private static Object paramsOf(Message message) {
        if (message instanceof RequestMessage request) {
            return request.getParams();
        }
        return ((NotificationMessage) message).getParams();
    }

    /** Calls a method on a remote proxy, going through the segment getter when the method belongs to a segment. */
    private static Object call(Object root, Method method, Object params) throws Exception {
        Object target = root;
        Class<?> declaring = method.getDeclaringClass();
        if (declaring.isAnnotationPresent(JsonSegment.class)) {
            for (Method getter : root.getClass().getInterfaces()[0].getMethods()) {
                if (getter.isAnnotationPresent(JsonDelegate.class) && getter.getReturnType() == declaring) {
                    target = getter.invoke(root);
                }
            }
        }
        return method.getParameterCount() == 0 ? method.invoke(target) : method.invoke(target, params);
    }
}
