package dev.ccr.server.translate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.error.ApiException;

/**
 * Anthropic's web server tools ({@code web_search_*}, {@code web_fetch_*}) on a translated endpoint. Anthropic runs
 * them on its side; an OpenAI-format or Gemini upstream cannot. Such a request is served only where the user sent it on
 * purpose, the {@code webSearch} route or a rule, to a model that searches by itself (Gemini gets its own Google Search
 * and URL context tools instead); anywhere else it is refused with a 400 that names the tool, so Claude Code says the
 * search failed instead of reporting no results.
 */
public final class ServerTools {
    private ServerTools() {}

    /**
     * Throws the 400 when the request offers a web server tool and was not routed to search.
     *
     * @param route the route the target was chosen by ({@code webSearch}, {@code rule:…}, {@code default}, …)
     */
    public static void check(JsonNode request, String route, String endpoint, String format) {
        JsonNode tools = request.get("tools");
        if (tools == null || !tools.isArray() || route.equals("webSearch") || route.startsWith("rule:")) {
            return;
        }
        for (JsonNode tool : tools) {
            String type = tool.path("type").asText("");
            if (!tool.has("input_schema") && (type.startsWith("web_search_") || type.startsWith("web_fetch_"))) {
                throw ApiException.invalidRequest(
                        "ccr: the " + type + " tool (\"" + tool.path("name").asText()
                                + "\") runs on Anthropic's servers and endpoint \"" + endpoint + "\" (" + format
                                + ") cannot run it; set routes.webSearch to an Anthropic endpoint or to a model that searches"
                                + " by itself, and web searches go there");
            }
        }
    }
}
