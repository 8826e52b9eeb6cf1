package dev.ccr.protocol.config;

import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.jsonrpc.services.JsonRequest;
import org.eclipse.lsp4j.jsonrpc.services.JsonSegment;

/**
 * {@code config/*}: the router's configuration file, read and changed by the editor.
 *
 * <p>Every change is validated exactly as the router validates the file at start-up; an invalid change writes nothing
 * and fails with {@link dev.ccr.protocol.ErrorCodes#CONFIG_INVALID}, whose data lists each problem with line, column
 * and JSON path. A valid change is written to the config file atomically (the rest of the file keeps its text and
 * formatting), applied to the running router before the answer is sent, and announced with {@code config/configChanged}
 * and, where the status changes, {@code status/statusChanged}. With {@code dryRun} set, a change is only validated.
 *
 * <p>API keys are never part of these messages or of the file the editor writes: the editor keeps them in its secret
 * storage and hands them over through {@code credentials/getApiKey}. Keys already in the file (written by hand) stay.
 *
 * <p>Changes fail with {@link dev.ccr.protocol.ErrorCodes#CONFIG_UNREADABLE} when the file on disk is not valid JSON,
 * and with {@link dev.ccr.protocol.ErrorCodes#CONFIG_WRITE_FAILED} when it cannot be written.
 */
@JsonSegment("config")
public interface ConfigService {
    /** {@code config/get}: the configuration in force, with defaults applied and without any secret. Since 1.0. */
    @JsonRequest
    CompletableFuture<ConfigResult> get();

    /**
     * {@code config/validate}: checks config text (an unsaved editor buffer, say) without applying or writing it.
     * Problems are the result, not an error. Since 1.0.
     */
    @JsonRequest
    CompletableFuture<ValidateConfigResult> validate(ValidateConfigParams params);

    /**
     * {@code config/addEndpoint}: appends an endpoint. Fails with {@link dev.ccr.protocol.ErrorCodes#ENDPOINT_EXISTS}
     * when the name is taken, {@link dev.ccr.protocol.ErrorCodes#INVALID_PARAMS} when name, type or baseUrl is missing.
     * Since 1.0.
     */
    @JsonRequest
    CompletableFuture<ConfigChangeResult> addEndpoint(EndpointChangeParams params);

    /**
     * {@code config/updateEndpoint}: changes the given fields of the endpoint with the given name; fields left null
     * keep their value. Fails with {@link dev.ccr.protocol.ErrorCodes#ENDPOINT_NOT_FOUND} when there is no such
     * endpoint. Since 1.0.
     */
    @JsonRequest
    CompletableFuture<ConfigChangeResult> updateEndpoint(EndpointChangeParams params);

    /**
     * {@code config/removeEndpoint}: removes an endpoint. Fails with
     * {@link dev.ccr.protocol.ErrorCodes#ENDPOINT_NOT_FOUND} when there is no such endpoint, and with
     * {@link dev.ccr.protocol.ErrorCodes#CONFIG_INVALID} when something still refers to it (the default endpoint, a
     * route) or it is the last one. Since 1.0.
     */
    @JsonRequest
    CompletableFuture<ConfigChangeResult> removeEndpoint(RemoveEndpointParams params);

    /**
     * {@code config/setDefaultEndpoint}: the endpoint used when no rule or route picks another. Fails with
     * {@link dev.ccr.protocol.ErrorCodes#CONFIG_INVALID} when no endpoint has that name. Since 1.0.
     */
    @JsonRequest
    CompletableFuture<ConfigChangeResult> setDefaultEndpoint(SetDefaultEndpointParams params);

    /** {@code config/setCache}: the response cache settings; null fields keep their value. Since 1.0. */
    @JsonRequest
    CompletableFuture<ConfigChangeResult> setCache(SetCacheParams params);

    /**
     * {@code config/setRoutes}: replaces the {@code routes} section with the given JSON (scenario routing), or removes
     * it. Its shape is the config file's, described by the published JSON Schema. Fails with
     * {@link dev.ccr.protocol.ErrorCodes#CONFIG_INVALID} when this server's config has no {@code routes} section (see
     * {@link dev.ccr.protocol.lifecycle.ServerCapabilities#configSections()}). Since 1.0.
     */
    @JsonRequest
    CompletableFuture<ConfigChangeResult> setRoutes(SetRoutesParams params);

    /**
     * {@code config/setLimits}: replaces the {@code limits} section with the given JSON (rate limits, budgets), or
     * removes it; as {@code config/setRoutes} otherwise. Since 1.0.
     */
    @JsonRequest
    CompletableFuture<ConfigChangeResult> setLimits(SetLimitsParams params);
}
