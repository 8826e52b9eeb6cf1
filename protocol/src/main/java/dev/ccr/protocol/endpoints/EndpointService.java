package dev.ccr.protocol.endpoints;

import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.jsonrpc.services.JsonRequest;
import org.eclipse.lsp4j.jsonrpc.services.JsonSegment;

/** {@code endpoints/*}: checks on upstream endpoints. */
@JsonSegment("endpoints")
public interface EndpointService {
    /**
     * {@code endpoints/test}: probes an endpoint, configured or not yet saved: can it be reached, does it accept the
     * key, how long does it take to answer, which models does it offer. Runs for at most about 15 seconds; while it
     * runs, {@code endpoints/testProgress} notifications report each step when the editor declared
     * {@link dev.ccr.protocol.lifecycle.ClientCapabilities#endpointTestProgress()} and passed a progress token. A
     * failing endpoint is a result, not an error; the request fails with
     * {@link dev.ccr.protocol.ErrorCodes#ENDPOINT_NOT_FOUND} for an unknown name and with
     * {@link dev.ccr.protocol.ErrorCodes#INVALID_PARAMS} when neither a name nor settings are given. Since 1.0.
     */
    @JsonRequest
    CompletableFuture<TestEndpointResult> test(TestEndpointParams params);
}
