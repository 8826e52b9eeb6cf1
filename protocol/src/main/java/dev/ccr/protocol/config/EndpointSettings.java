package dev.ccr.protocol.config;

import java.util.List;
import java.util.Map;

/**
 * An endpoint as the editor adds or changes it. There is deliberately no API key here: keys live in the editor's
 * secret storage. For {@code config/updateEndpoint} every null field keeps the value in the file.
 *
 * @param name the endpoint's unique name (letters, digits, {@code . _ -}); required; for an update it selects the
 *     endpoint
 * @param type the API type; required to add
 * @param baseUrl the API root including its version segment, such as {@code https://api.openai.com/v1}; required to
 *     add
 * @param format the wire format, for {@link EndpointType#CUSTOM} endpoints only; null keeps it (default
 *     {@link WireFormat#OPENAI})
 * @param headers extra headers to set (added, or replacing one of the same name); null or empty sets none
 * @param removeHeaders names of headers to remove; null or empty removes none
 * @param models the models the endpoint lists; null keeps them, empty clears them
 * @param modelMap requested model (glob) to upstream model; null keeps it, empty clears it
 */
public record EndpointSettings(
        String name,
        EndpointType type,
        String baseUrl,
        WireFormat format,
        Map<String, String> headers,
        List<String> removeHeaders,
        List<String> models,
        Map<String, String> modelMap) {

    @Override
    public String toString() {
        // Header values can be credentials (Authorization for a custom proxy): print names only.
        return "EndpointSettings[name=" + name + ", type=" + type + ", baseUrl=" + baseUrl + ", format=" + format
                + ", headers=" + (headers == null ? null : headers.keySet()) + ", removeHeaders=" + removeHeaders
                + ", models=" + models + ", modelMap=" + modelMap + "]";
    }
}
