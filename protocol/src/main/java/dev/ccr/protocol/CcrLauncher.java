package dev.ccr.protocol;

import com.google.gson.GsonBuilder;
import dev.ccr.protocol.json.EnumNameTypeAdapterFactory;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.jsonrpc.MessageConsumer;
import org.eclipse.lsp4j.jsonrpc.json.JsonRpcMethod;
import org.eclipse.lsp4j.jsonrpc.json.MessageJsonHandler;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.services.ServiceEndpoints;

/**
 * The one way to connect either side of the protocol, used by the server, by tests and by any Java client, so that both
 * ends always agree on the JSON: enums as names (LSP4J would write ordinals) and records through Gson's record support.
 * Messages are framed with {@code Content-Length} headers as in LSP.
 */
public final class CcrLauncher {
    private CcrLauncher() {}

    /**
     * The server side: serves {@code server} and returns a launcher whose remote proxy calls the editor.
     *
     * @param executor runs the reader loop and request handlers; its threads should be daemons so that the process
     *     can exit
     * @param wrapper wraps the incoming message consumer (to gate requests before {@code initialize}, say); may be null
     * @param exceptionHandler turns a handler's exception into the error sent back; may be null for LSP4J's default
     */
    public static Launcher<CcrClient> serverLauncher(
            CcrServer server,
            InputStream in,
            OutputStream out,
            ExecutorService executor,
            Function<MessageConsumer, MessageConsumer> wrapper,
            Function<Throwable, ResponseError> exceptionHandler) {
        Launcher.Builder<CcrClient> builder = new Launcher.Builder<CcrClient>()
                .setLocalService(server)
                .setRemoteInterface(CcrClient.class)
                .setInput(in)
                .setOutput(out)
                .setExecutorService(executor)
                .configureGson(CcrLauncher::configureGson);
        if (wrapper != null) {
            builder.wrapMessages(wrapper);
        }
        if (exceptionHandler != null) {
            builder.setExceptionHandler(exceptionHandler);
        }
        return builder.create();
    }

    /** The editor side: serves {@code client} and returns a launcher whose remote proxy calls the server. */
    public static Launcher<CcrServer> clientLauncher(
            CcrClient client, InputStream in, OutputStream out, ExecutorService executor) {
        return new Launcher.Builder<CcrServer>()
                .setLocalService(client)
                .setRemoteInterface(CcrServer.class)
                .setInput(in)
                .setOutput(out)
                .setExecutorService(executor)
                .configureGson(CcrLauncher::configureGson)
                .create();
    }

    /** What both sides add to LSP4J's Gson set-up. */
    public static void configureGson(GsonBuilder gson) {
        // Registered after LSP4J's ordinal adapter, so it takes precedence.
        gson.registerTypeAdapterFactory(new EnumNameTypeAdapterFactory());
    }

    /**
     * A JSON handler that knows every method in both directions, configured as the launchers are: for reading and
     * writing whole messages outside a connection (golden fixtures, logs).
     */
    public static MessageJsonHandler messageJsonHandler() {
        Map<String, JsonRpcMethod> methods = new LinkedHashMap<>();
        methods.putAll(ServiceEndpoints.getSupportedMethods(CcrServer.class));
        methods.putAll(ServiceEndpoints.getSupportedMethods(CcrClient.class));
        return new MessageJsonHandler(methods, CcrLauncher::configureGson);
    }
}
