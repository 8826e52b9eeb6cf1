package dev.ccr.server.rpc;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccr.protocol.CcrClient;
import dev.ccr.protocol.ErrorCodes;
import dev.ccr.protocol.endpoints.AuthCheck;
import dev.ccr.protocol.endpoints.EndpointService;
import dev.ccr.protocol.endpoints.EndpointTestProgressParams;
import dev.ccr.protocol.endpoints.StepState;
import dev.ccr.protocol.endpoints.TestEndpointParams;
import dev.ccr.protocol.endpoints.TestEndpointResult;
import dev.ccr.protocol.endpoints.TestStep;
import dev.ccr.server.config.ConfigEditException;
import dev.ccr.server.config.ConfigException;
import dev.ccr.server.config.ConfigLoader;
import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.config.Endpoint;
import dev.ccr.server.config.Overrides;
import dev.ccr.server.config.Secret;
import dev.ccr.server.json.Json;
import dev.ccr.server.observe.EndpointHealthTracker;
import dev.ccr.server.probe.EndpointProbe;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** {@code endpoints/test}: finds the endpoint and its key, probes it, reports each step and the verdict. */
final class EndpointsRpc implements EndpointService {
    private final ProxySupervisor supervisor;
    private final ConfigLoader loader;
    private final EditorCredentials credentials;
    private final Supplier<CcrClient> keyholder;
    private final Supplier<Consumer<EndpointTestProgressParams>> progressSink;
    private final EndpointProbe probe;
    private final EndpointHealthTracker health;
    private final Executor worker;

    /**
     * @param keyholder the editor when it keeps keys, else null
     * @param progressSink where progress goes when the editor wants it, else null
     */
    EndpointsRpc(
            ProxySupervisor supervisor,
            ConfigLoader loader,
            EditorCredentials credentials,
            Supplier<CcrClient> keyholder,
            Supplier<Consumer<EndpointTestProgressParams>> progressSink,
            EndpointProbe probe,
            EndpointHealthTracker health,
            Executor worker) {
        this.supervisor = supervisor;
        this.loader = loader;
        this.credentials = credentials;
        this.keyholder = keyholder;
        this.progressSink = progressSink;
        this.probe = probe;
        this.health = health;
        this.worker = worker;
    }

    @Override
    public CompletableFuture<TestEndpointResult> test(TestEndpointParams params) {
        if (params == null || (params.name() == null && params.endpoint() == null)) {
            return CompletableFuture.failedFuture(
                    RpcErrors.invalidParams("endpoints/test needs the name of an endpoint, or its settings"));
        }
        boolean configured = params.endpoint() == null;
        EndpointProbe.Progress progress = progress(params);
        return CompletableFuture.supplyAsync(() -> configured ? configured(params.name()) : unsaved(params), worker)
                .thenCompose(endpoint -> key(endpoint, params, progress)
                        .thenCompose(key -> probe.probe(endpoint, key, progress))
                        .thenApply(result -> {
                            if (configured) {
                                health.report(endpoint.name(), verdict(result));
                            }
                            return result;
                        }));
    }

    private Endpoint configured(String name) {
        EffectiveConfig config = supervisor.snapshot().config();
        return Optional.ofNullable(config)
                .flatMap(c -> c.endpoint(name))
                .orElseThrow(() -> new CompletionException(RpcErrors.error(
                        ErrorCodes.ENDPOINT_NOT_FOUND,
                        "no endpoint is named \"" + name + "\""
                                + (config == null
                                        ? ""
                                        : "; the config has: "
                                                + String.join(
                                                        ", ",
                                                        config.endpoints().stream()
                                                                .map(Endpoint::name)
                                                                .toList())))));
    }

    /** Settings not saved yet, resolved exactly as the config file would resolve them. */
    private Endpoint unsaved(TestEndpointParams params) {
        try {
            ObjectNode settings = EndpointJson.of(params.endpoint());
            ObjectNode config = JsonNodeFactory.instance.objectNode();
            config.putArray("endpoints").add(settings);
            ConfigLoader.Loaded loaded =
                    loader.parse(Json.writeBytes(config), Path.of("(endpoint under test)"), Overrides.NONE);
            return loaded.config().endpoints().get(0);
        } catch (ConfigEditException e) {
            throw new CompletionException(RpcErrors.invalidParams(e.getMessage()));
        } catch (ConfigException e) {
            throw new CompletionException(RpcErrors.invalidParams("the endpoint settings are not valid: "
                    + String.join(
                            "; ",
                            e.problems().stream()
                                    .map(p -> p.path() + ": " + p.message())
                                    .toList())));
        }
    }

    /** The key the router would use for this endpoint; never fails (a test without a key still tells something). */
    private CompletableFuture<Secret> key(
            Endpoint endpoint, TestEndpointParams params, EndpointProbe.Progress progress) {
        progress.step(TestStep.CREDENTIALS, StepState.STARTED, "looking for the key");
        if (params.apiKey() != null && !params.apiKey().isBlank()) {
            progress.step(TestStep.CREDENTIALS, StepState.SUCCEEDED, "the key given for this test");
            return CompletableFuture.completedFuture(Secret.of(params.apiKey()));
        }
        Secret configured = endpoint.apiKey();
        if (configured != null && configured.isAvailable()) {
            progress.step(TestStep.CREDENTIALS, StepState.SUCCEEDED, "the key in the config file");
            return CompletableFuture.completedFuture(configured);
        }
        String without = endpoint.passesThrough() ? "no key: clients' own keys are forwarded" : "no key";
        if (configured != null) {
            progress.step(
                    TestStep.CREDENTIALS, StepState.FAILED, configured.problem().orElse("the key is unavailable"));
            return CompletableFuture.completedFuture(null);
        }
        CcrClient editor = keyholder.get();
        if (editor == null || endpoint.name() == null) {
            progress.step(TestStep.CREDENTIALS, StepState.SKIPPED, without);
            return CompletableFuture.completedFuture(null);
        }
        return credentials.answerFor(endpoint.name(), editor).handle((answer, failure) -> {
            if (failure != null) {
                progress.step(
                        TestStep.CREDENTIALS,
                        StepState.FAILED,
                        "the editor did not provide a key: "
                                + RpcErrors.unwrap(failure).getMessage());
                return null;
            }
            progress.step(
                    TestStep.CREDENTIALS,
                    answer.isPresent() ? StepState.SUCCEEDED : StepState.SKIPPED,
                    answer.isPresent() ? "the key from the editor" : without);
            return answer.orElse(null);
        });
    }

    private EndpointProbe.Progress progress(TestEndpointParams params) {
        Consumer<EndpointTestProgressParams> sink = progressSink.get();
        String name = params.endpoint() != null ? params.endpoint().name() : params.name();
        if (sink == null || params.progressToken() == null) {
            return EndpointProbe.Progress.NONE;
        }
        return (step, state, message) ->
                sink.accept(new EndpointTestProgressParams(params.progressToken(), name, step, state, message));
    }

    private static EndpointHealthTracker.Health verdict(TestEndpointResult result) {
        boolean healthy = result.reachable()
                && result.auth() != AuthCheck.REJECTED
                && (result.httpStatus() == null || result.httpStatus() < 500);
        return healthy
                ? new EndpointHealthTracker.Health(EndpointHealthTracker.State.HEALTHY, null)
                : new EndpointHealthTracker.Health(EndpointHealthTracker.State.FAILING, result.message());
    }
}
