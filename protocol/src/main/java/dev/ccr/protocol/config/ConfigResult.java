package dev.ccr.protocol.config;

import com.google.gson.JsonElement;
import java.util.List;

/**
 * The configuration in force: the config file (or the built-in defaults when there is none) with defaults filled in.
 * It never contains a secret: no API key, no router token, no header value.
 *
 * @param file the config file's absolute path; never null
 * @param fromFile whether that file exists; when {@code false} the built-in defaults apply, and the first change
 *     creates the file
 * @param host the address the router binds; never null
 * @param port the configured port (0: any free port); the bound port is in the status
 * @param endpoints every endpoint, in config order; never null
 * @param defaultEndpoint the endpoint used when nothing else picks one; null only when there is no endpoint
 * @param cache the response cache settings, defaults applied (both fields set); never null
 * @param routes the {@code routes} section as written in the file, or null when absent
 * @param limits the {@code limits} section as written in the file, or null when absent
 * @param warnings what deserves attention without stopping the router, such as a key referring to an unset
 *     environment variable; never null
 */
public record ConfigResult(
        String file,
        boolean fromFile,
        String host,
        int port,
        List<EndpointInfo> endpoints,
        String defaultEndpoint,
        CacheSettings cache,
        JsonElement routes,
        JsonElement limits,
        List<ConfigProblemInfo> warnings) {}
