package dev.ccr.protocol.endpoints;

import java.util.List;

/**
 * What an endpoint test found. The test sends one {@code GET <baseUrl>/models} request authenticated as the router
 * would authenticate real requests.
 *
 * @param endpoint the tested endpoint's name (for unsaved settings, the name given, possibly null)
 * @param reachable whether an HTTP answer came back at all
 * @param auth what the answer says about the key; never null
 * @param httpStatus the answer's HTTP status; null when unreachable
 * @param latencyMillis from sending the request to the answer's headers (connection set-up included); null when
 *     unreachable
 * @param models the model ids the endpoint lists, as requests name them; empty when it lists none or the list could
 *     not be read; never null
 * @param message one line for the user: what worked, or what failed and what to do; never null
 */
public record TestEndpointResult(
        String endpoint,
        boolean reachable,
        AuthCheck auth,
        Integer httpStatus,
        Long latencyMillis,
        List<String> models,
        String message) {}
