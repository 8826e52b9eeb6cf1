package dev.ccr.protocol.config;

import java.util.List;
import java.util.Map;

/**
 * One endpoint as configured, without secrets.
 *
 * @param name unique name, used in {@code endpoint,model} ids; never null
 * @param type the API type; never null
 * @param format the wire format requests are written in (for {@link EndpointType#CUSTOM} the configured one, else the
 *     type's own); never null
 * @param baseUrl the API root including its version segment, without a trailing slash; never null
 * @param headerNames the names of the extra headers sent to this endpoint; their values are not shown because they
 *     often carry credentials; never null
 * @param models the models it lists for {@code /v1/models}; never null
 * @param modelMap requested model (glob) to upstream model, in config order; never null
 * @param apiKey where this endpoint's key comes from; never null
 * @param apiKeyVariable the environment variable the file's {@code apiKey} refers to ({@code ${NAME}}), or null
 */
public record EndpointInfo(
        String name,
        EndpointType type,
        WireFormat format,
        String baseUrl,
        List<String> headerNames,
        List<String> models,
        Map<String, String> modelMap,
        ApiKeySource apiKey,
        String apiKeyVariable) {}
