package dev.ccr.server.rpc;

import dev.ccr.protocol.CcrClient;
import dev.ccr.protocol.credentials.GetApiKeyParams;
import dev.ccr.protocol.credentials.GetApiKeyResult;
import dev.ccr.server.config.Endpoint;
import dev.ccr.server.config.Secret;
import dev.ccr.server.error.ApiException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Endpoint keys from the editor's secret storage. A key written in the config file (or an environment variable it
 * names) wins; for an endpoint without one the editor is asked, once, and its answer (a key or "none") is remembered
 * until the editor says the key changed. Concurrent requests for the same endpoint share one question. A question
 * unanswered within {@link #TIMEOUT} fails the requests that wait for it, and is asked again next time.
 *
 * <p>A shared router has several editors attached; any of them that keeps keys may be asked. The one attached longest
 * is asked first, and when it answers with an error or goes away, the next one. Answers outlive the editors that gave
 * them, in memory only, for as long as the router runs: a router that keeps serving Claude Code after VS Code closed
 * still has the keys its endpoints need ({@link #prefetch} asks for all of them while an editor is there).
 *
 * <p>Keys exist here only as {@link Secret}s; what is logged names endpoints, never keys.
 */
public final class EditorCredentials implements dev.ccr.server.upstream.EndpointCredentials {
    private static final Logger log = LoggerFactory.getLogger(EditorCredentials.class);

    /** How long a request waits for the editor's answer. */
    public static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final Executor sender;
    private final Duration timeout;
    private final Map<String, CompletableFuture<Optional<Secret>>> answers = new ConcurrentHashMap<>();
    private final List<CcrClient> editors = new CopyOnWriteArrayList<>();

    /**
     * @param sender where questions are written to the editor, so that a slow pipe never blocks an event loop
     */
    public EditorCredentials(Executor sender, Duration timeout) {
        this.sender = sender;
        this.timeout = timeout;
    }

    /** Starts asking this editor too; while none is connected only config keys are used. */
    public void connect(CcrClient editor) {
        editors.add(editor);
        forget(null);
    }

    /**
     * Stops asking an editor that has gone. Questions still waiting for it are asked again of the others, and so are
     * the endpoints it said it had no key for: another window may have one (keys it gave stay, see above).
     */
    public void disconnect(CcrClient editor) {
        if (editors.remove(editor)) {
            answers.values()
                    .removeIf(answer -> !answer.isDone()
                            || answer.isCompletedExceptionally()
                            || answer.join().isEmpty());
        }
    }

    /** Asks now for the keys of these endpoints that are not known yet, so they are at hand when a request needs them. */
    public void prefetch(List<Endpoint> endpoints) {
        if (editors.isEmpty()) {
            return;
        }
        for (Endpoint endpoint : endpoints) {
            Secret configured = endpoint.apiKey();
            if (configured == null || !configured.isAvailable()) {
                answerFor(endpoint.name()).exceptionally(failure -> Optional.empty());
            }
        }
    }

    /** Forgets the remembered answer for an endpoint, or for all when {@code endpoint} is null. */
    public void forget(String endpoint) {
        if (endpoint == null) {
            answers.clear();
        } else {
            answers.remove(endpoint);
        }
    }

    @Override
    public Future<Secret> apiKey(Endpoint endpoint) {
        Secret configured = endpoint.apiKey();
        if (configured != null && configured.isAvailable()) {
            return Future.succeededFuture(configured);
        }
        CompletableFuture<Optional<Secret>> known = answers.get(endpoint.name());
        if (editors.isEmpty() && (known == null || !known.isDone() || known.isCompletedExceptionally())) {
            return Future.succeededFuture(configured);
        }
        // Completed by hand rather than converted: a CompletableFuture hands failures on wrapped in a
        // CompletionException, and the proxy needs the ApiException itself to answer with its status and message.
        Promise<Secret> key = Promise.promise();
        Context context = Vertx.currentContext();
        answerFor(endpoint.name()).whenComplete((answer, failure) -> {
            Runnable settle = failure == null
                    ? () -> key.complete(answer.orElse(configured))
                    : () -> key.fail(unavailable(endpoint.name(), unwrap(failure)));
            if (context == null) {
                settle.run();
            } else {
                context.runOnContext(v -> settle.run());
            }
        });
        return key.future();
    }

    /** The editors' key for an endpoint: remembered, already being asked for, or asked for now. */
    CompletableFuture<Optional<Secret>> answerFor(String endpoint) {
        return remembered(endpoint, name -> limited(askInTurn(name, List.copyOf(editors), 0)));
    }

    /** This editor's key for an endpoint: remembered, already being asked for, or asked for now. */
    public CompletableFuture<Optional<Secret>> answerFor(String endpoint, CcrClient client) {
        return remembered(endpoint, name -> ask(name, client));
    }

    private CompletableFuture<Optional<Secret>> remembered(
            String endpoint, Function<String, CompletableFuture<Optional<Secret>>> question) {
        CompletableFuture<Optional<Secret>> answer = answers.computeIfAbsent(endpoint, question);
        answer.whenComplete((value, failure) -> {
            if (failure != null) {
                answers.remove(endpoint, answer); // a failed question is asked again next time
            }
        });
        return answer;
    }

    private CompletableFuture<Optional<Secret>> ask(String endpoint, CcrClient client) {
        return limited(question(endpoint, client));
    }

    /**
     * A copy that fails after the time limit. Never time out the request itself: cancelling it would make LSP4J log the
     * editor's late answer as unmatched, key included.
     */
    private CompletableFuture<Optional<Secret>> limited(CompletableFuture<Optional<Secret>> question) {
        return question.copy().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Asks the editors one after the other until one answers. */
    private CompletableFuture<Optional<Secret>> askInTurn(String endpoint, List<CcrClient> clients, int index) {
        if (index >= clients.size()) {
            return CompletableFuture.failedFuture(new IllegalStateException("no editor is attached any more"));
        }
        CompletableFuture<Optional<Secret>> answer = question(endpoint, clients.get(index));
        return index + 1 < clients.size()
                ? answer.exceptionallyCompose(failure -> askInTurn(endpoint, clients, index + 1))
                : answer;
    }

    private CompletableFuture<Optional<Secret>> question(String endpoint, CcrClient client) {
        log.debug("asking the editor for the key of endpoint \"{}\"", endpoint);
        return CompletableFuture.supplyAsync(() -> client.getApiKey(new GetApiKeyParams(endpoint)), sender)
                .thenCompose(request -> request)
                .thenApply(EditorCredentials::toSecret);
    }

    private static Optional<Secret> toSecret(GetApiKeyResult result) {
        return Optional.ofNullable(result)
                .map(GetApiKeyResult::apiKey)
                .filter(key -> !key.isBlank())
                .map(Secret::of);
    }

    private ApiException unavailable(String endpoint, Throwable failure) {
        String why = failure instanceof TimeoutException
                ? "the editor did not answer within " + timeout.toSeconds() + " s"
                : failure instanceof ResponseErrorException e
                        ? "the editor answered with an error: "
                                + e.getResponseError().getMessage()
                        : "asking the editor failed: " + failure.getMessage();
        log.warn("no key for endpoint \"{}\": {}", endpoint, why);
        return ApiException.authentication("ccr: cannot get the API key of endpoint \"" + endpoint + "\" from the"
                + " editor (" + why + "); try again, or set apiKey for it in the config");
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
