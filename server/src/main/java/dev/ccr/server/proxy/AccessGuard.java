package dev.ccr.server.proxy;

import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.error.ApiException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import java.util.Locale;

/**
 * The checks every API request passes before anything else happens (docs/SECURITY.md): the {@code Host} must name this
 * machine (or a configured name) so a web page cannot reach the router through DNS rebinding; a browser
 * {@code Origin} must be one the user allowed; and the credential must match a router token when tokens are set.
 */
public final class AccessGuard {
    private static final String CCR_PREFIX = "ccr:";
    /** Claude Code needs some credential to start; {@code ccr env} hands out this placeholder when no token is set. */
    static final String PLACEHOLDER = "ccr";

    private AccessGuard() {}

    public static ClientIdentity check(HttpServerRequest request, EffectiveConfig.Auth auth) {
        // authority() is HTTP/1.1's Host header (and would be HTTP/2's :authority; the server speaks HTTP/1.1 only).
        HostAndPort authority = request.authority();
        checkHost(authority == null ? null : authority.host(), auth);
        checkOrigin(request.getHeader("origin"), auth);
        return identify(request.getHeader("x-api-key"), bearer(request.getHeader("authorization")), auth);
    }

    static void checkHost(String hostName, EffectiveConfig.Auth auth) {
        if (hostName == null || hostName.isBlank()) {
            throw ApiException.permission("ccr: the request names no host (Host header)");
        }
        String host = hostName.strip().toLowerCase(Locale.ROOT);
        if (isLoopbackName(host) || auth.allowedHosts().contains(host)) {
            return;
        }
        throw ApiException.permission("ccr: requests for host \"" + host + "\" are refused; only loopback names are"
                + " served unless the host is listed in auth.allowedHosts");
    }

    static void checkOrigin(String origin, EffectiveConfig.Auth auth) {
        if (origin == null || auth.allowedOrigins().contains(origin)) {
            return;
        }
        throw ApiException.permission("ccr: browser requests from origin " + origin + " are refused; list the origin in"
                + " auth.allowedOrigins to allow it");
    }

    static ClientIdentity identify(String apiKeyHeader, String authorizationBearer, EffectiveConfig.Auth auth) {
        String apiKey = withoutPrefix(apiKeyHeader);
        String bearer = withoutPrefix(authorizationBearer);
        String tokenName = null;
        if (auth.requiresToken()) {
            if ((tokenName = matchToken(apiKey, auth)) != null) {
                apiKey = null;
            } else if ((tokenName = matchToken(bearer, auth)) != null) {
                bearer = null;
            }
        }
        // Prefer x-api-key: with ANTHROPIC_API_KEY set Claude Code sends the real key there, even when
        // ANTHROPIC_AUTH_TOKEN carries a placeholder or the router token.
        String clientKey = null;
        boolean asBearer = false;
        if (usable(apiKey)) {
            clientKey = apiKey;
        } else if (usable(bearer)) {
            clientKey = bearer;
            // Anthropic takes API keys only as x-api-key; OAuth tokens (a Claude subscription) only as Bearer.
            asBearer = !bearer.startsWith("sk-ant-api");
        }
        if (tokenName == null) {
            if (auth.requiresToken() && !auth.allowClientKeys()) {
                throw ApiException.authentication(
                        clientKey == null
                                ? "ccr: this router requires a token; send it as x-api-key or Authorization: Bearer"
                                        + " (ANTHROPIC_AUTH_TOKEN)"
                                : "ccr: the credential sent is not a router token");
            }
            if (!auth.allowClientKeys()) {
                clientKey = null;
            }
        }
        return new ClientIdentity(tokenName, clientKey, asBearer);
    }

    private static String matchToken(String candidate, EffectiveConfig.Auth auth) {
        if (candidate == null) {
            return null;
        }
        for (EffectiveConfig.Token token : auth.tokens()) {
            if (token.secret().matches(candidate)) {
                return token.name();
            }
        }
        return null;
    }

    private static boolean usable(String credential) {
        return credential != null && !credential.isBlank() && !credential.equals(PLACEHOLDER);
    }

    private static String withoutPrefix(String credential) {
        if (credential == null) {
            return null;
        }
        String trimmed = credential.strip();
        return trimmed.startsWith(CCR_PREFIX) ? trimmed.substring(CCR_PREFIX.length()) : trimmed;
    }

    private static String bearer(String authorization) {
        if (authorization == null) {
            return null;
        }
        String trimmed = authorization.strip();
        return trimmed.regionMatches(true, 0, "Bearer ", 0, 7)
                ? trimmed.substring(7).strip()
                : null;
    }

    private static boolean isLoopbackName(String host) {
        return host.equals("localhost")
                || host.endsWith(".localhost")
                || host.equals("[::1]")
                || host.equals("::1")
                || host.matches("127(\\.\\d{1,3}){3}");
    }
}
