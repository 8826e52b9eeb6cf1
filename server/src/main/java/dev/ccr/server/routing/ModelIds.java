package dev.ccr.server.routing;

import dev.ccr.server.config.Endpoint;

/**
 * The model ids that name an endpoint and upstream model explicitly.
 *
 * <ul>
 *   <li>{@code endpoint,model}: the classic form users type ({@code /model glm,glm-4.6}).
 *   <li>{@code claude-ccr/endpoint/model}: the form {@code GET /v1/models} lists. Claude Code's {@code /model} picker
 *       shows only ids that start with {@code claude} or {@code anthropic}, so a listed id must start that way and
 *       still route. Endpoint names cannot contain {@code /}, so the model part may ({@code
 *       claude-ccr/openrouter/z-ai/glm-4.6}).
 * </ul>
 */
public final class ModelIds {
    public static final String LISTED_PREFIX = "claude-ccr/";

    private ModelIds() {}

    /** An explicit choice; {@code model} may be empty when the id names none (an error for the caller to report). */
    public record Explicit(String endpoint, String model) {}

    /** The explicit endpoint and model an id names, or {@code null} for an ordinary model name. */
    public static Explicit parse(String id) {
        if (id.regionMatches(true, 0, LISTED_PREFIX, 0, LISTED_PREFIX.length())) {
            String rest = id.substring(LISTED_PREFIX.length());
            int slash = rest.indexOf('/');
            return slash < 0
                    ? new Explicit(rest.strip(), "")
                    : new Explicit(
                            rest.substring(0, slash).strip(),
                            rest.substring(slash + 1).strip());
        }
        int comma = id.indexOf(',');
        if (comma >= 0) {
            return new Explicit(
                    id.substring(0, comma).strip(), id.substring(comma + 1).strip());
        }
        return null;
    }

    /** The id {@code /v1/models} lists for a model of an endpoint. */
    public static String listed(Endpoint endpoint, String model) {
        return LISTED_PREFIX + endpoint.name() + "/" + model;
    }
}
