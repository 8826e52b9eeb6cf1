package dev.ccr.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.json.Json;
import dev.ccr.server.runtime.RunState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Whether a ccr answers at an address: {@code GET /health} within five seconds. Nothing listening is known at once (the
 * connection is refused); the time is for a router that is there but busy — a loaded machine, a JVM still warming up —
 * which must not be reported as not responding.
 */
final class RouterProbe {
    private RouterProbe() {}

    static boolean answers(RunState state) {
        return answers(state.baseUrl());
    }

    static boolean answers(String baseUrl) {
        return "ok".equals(health(baseUrl).path("status").asText());
    }

    /** The router's {@code GET /health} body, or a missing node when nothing answers. */
    static JsonNode health(String baseUrl) {
        String root = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        if (root.endsWith("/v1")) {
            root = root.substring(0, root.length() - 3); // the form some guides write: ccr serves /v1/v1/ too
        }
        try {
            HttpClient client = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(2))
                    .build();
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create(root + "/health"))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Json.MAPPER.missingNode();
            }
            JsonNode body = Json.MAPPER.readTree(response.body());
            return body != null && body.isObject() ? body : Json.MAPPER.missingNode();
        } catch (Exception e) {
            return Json.MAPPER.missingNode();
        }
    }
}
