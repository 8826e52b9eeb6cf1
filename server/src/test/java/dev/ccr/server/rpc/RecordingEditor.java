package dev.ccr.server.rpc;

import dev.ccr.protocol.CcrClient;
import dev.ccr.protocol.config.ConfigChangedParams;
import dev.ccr.protocol.credentials.GetApiKeyParams;
import dev.ccr.protocol.credentials.GetApiKeyResult;
import dev.ccr.protocol.endpoints.EndpointTestProgressParams;
import dev.ccr.protocol.router.RouterExitingParams;
import dev.ccr.protocol.stats.RequestsCompletedParams;
import dev.ccr.protocol.status.ServerStatus;
import dev.ccr.protocol.status.StatusChangedParams;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;

/** The editor's side in tests: records what the server sends and answers key questions from a map. */
final class RecordingEditor implements CcrClient {
    final List<ServerStatus> statuses = new CopyOnWriteArrayList<>();
    final List<ConfigChangedParams> configs = new CopyOnWriteArrayList<>();
    final List<EndpointTestProgressParams> progress = new CopyOnWriteArrayList<>();
    final List<RequestsCompletedParams> completed = new CopyOnWriteArrayList<>();
    final List<RouterExitingParams> exiting = new CopyOnWriteArrayList<>();
    final Map<String, String> keys = new ConcurrentHashMap<>();
    final AtomicInteger keyQuestions = new AtomicInteger();
    /** When set, key questions are left unanswered (an editor that hangs). */
    volatile boolean silent;
    /** When set, key questions are answered with an error (an editor whose secret storage fails). */
    volatile boolean failing;

    @Override
    public void statusChanged(StatusChangedParams params) {
        statuses.add(params.status());
    }

    @Override
    public void configChanged(ConfigChangedParams params) {
        configs.add(params);
    }

    @Override
    public void endpointTestProgress(EndpointTestProgressParams params) {
        progress.add(params);
    }

    @Override
    public CompletableFuture<GetApiKeyResult> getApiKey(GetApiKeyParams params) {
        keyQuestions.incrementAndGet();
        if (silent) {
            return new CompletableFuture<>();
        }
        if (failing) {
            return CompletableFuture.failedFuture(new ResponseErrorException(
                    new ResponseError(ResponseErrorCode.InternalError, "the secret storage is locked", null)));
        }
        return CompletableFuture.completedFuture(new GetApiKeyResult(keys.get(params.endpoint())));
    }

    @Override
    public void requestsCompleted(RequestsCompletedParams params) {
        completed.add(params);
    }

    @Override
    public void routerExiting(RouterExitingParams params) {
        exiting.add(params);
    }

    /** Waits for a pushed status that matches. */
    ServerStatus awaitStatus(Predicate<ServerStatus> matching) {
        return Awaitility.await()
                .atMost(Duration.ofSeconds(15))
                .until(() -> statuses.stream().filter(matching).findFirst().orElse(null), s -> s != null);
    }
}
