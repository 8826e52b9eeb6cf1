package dev.ccr.server.config;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Who may use the router. */
@JsonClassDescription("Access control.")
public record AuthConfig(
        @JsonPropertyDescription("Router tokens. With none, any local client may use the router; binding a"
                        + " non-loopback host requires at least one.")
                List<RouterToken> tokens,
        @JsonPropertyDescription("Forward a credential that is not a router token as the client's own Anthropic key to"
                        + " anthropic endpoints without an apiKey. Default: true when no tokens are configured,"
                        + " false otherwise.")
                Boolean allowClientKeys,
        @JsonPropertyDescription("Host names, besides loopback ones, that requests may address (DNS-rebinding guard).")
                List<String> allowedHosts,
        @JsonPropertyDescription(
                        "Browser origins allowed to call the router. Requests with any other Origin are" + " refused.")
                List<String> allowedOrigins) {}
