package dev.ccr.protocol.status;

import dev.ccr.protocol.config.ConfigProblemInfo;
import dev.ccr.protocol.config.EndpointType;
import java.util.List;

/**
 * Everything the editor shows about the router at a glance (status bar item, its tooltip, the dashboard header). The
 * server sends the whole status in {@code initialize} and again in {@code status/statusChanged} whenever any field
 * changes; the editor never asks for it.
 *
 * @param proxy whether the HTTP proxy is serving; never null
 * @param host the address the proxy binds (or would bind), such as {@code 127.0.0.1}; never null
 * @param port the bound port while {@link ProxyState#RUNNING}, else the configured one (0 means "any free port")
 * @param baseUrl what Claude Code's {@code ANTHROPIC_BASE_URL} must be to use this router; null unless
 *     {@link ProxyState#RUNNING}
 * @param routing whether Claude Code is set to use this router; never null
 * @param defaultEndpoint the endpoint used when no rule or route picks another; null when the config has none
 * @param endpoints every configured endpoint with its health, in config order; never null
 * @param lastError why the proxy is not running, or why the latest config change was not applied (the previous config
 *     is still in force then); written for the user; null when there is nothing to report
 * @param configProblems the problems of the config file on disk that kept it from being applied, each with line,
 *     column and JSON path; empty when the file in force is the file on disk; never null
 * @param configFile the config file's absolute path; it may not exist yet (then the built-in defaults apply)
 * @param editors how many editors are attached to this router now, the receiving one included (0 for a server older
 *     than 1.1, which cannot tell). Since 1.1.
 * @param lifetime how long the router process lives; null from a server older than 1.1, whose router is its editor's
 *     ({@link RouterLifetime#EDITOR}). Since 1.1.
 * @param shared team mode: whether state is shared with the team's other instances right now; null when the config has
 *     no {@code shared} section (or no proxy runs). Since 1.1.
 */
public record ServerStatus(
        ProxyState proxy,
        String host,
        int port,
        String baseUrl,
        RoutingState routing,
        String defaultEndpoint,
        List<EndpointStatus> endpoints,
        String lastError,
        List<ConfigProblemInfo> configProblems,
        String configFile,
        int editors,
        RouterLifetime lifetime,
        SharedStatus shared) {

    /**
     * One endpoint as the status shows it.
     *
     * @param name the endpoint's name; never null
     * @param type its API type; never null
     * @param baseUrl its API root; never null
     * @param health what the latest requests and tests say about it; never null
     * @param lastError what went wrong the last time it was {@link EndpointHealth#FAILING}; null otherwise
     */
    public record EndpointStatus(
            String name, EndpointType type, String baseUrl, EndpointHealth health, String lastError) {}
}
