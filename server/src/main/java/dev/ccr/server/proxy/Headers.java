package dev.ccr.server.proxy;

import dev.ccr.server.config.Endpoint;
import dev.ccr.server.config.Secret;
import dev.ccr.server.error.ApiException;
import io.vertx.core.MultiMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Which headers cross the router, in each direction. */
public final class Headers {
    /** RFC 9110 §7.6.1 connection-specific headers; each hop sets its own. */
    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection",
            "keep-alive",
            "proxy-connection",
            "proxy-authenticate",
            "proxy-authorization",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "host",
            "content-length",
            "http2-settings");

    /**
     * Client headers the upstream must not see: the client's credentials (replaced by the endpoint's), what identifies
     * the client's network or browser, and {@code accept-encoding}, because the router reads the stream it relays.
     */
    private static final Set<String> CLIENT_ONLY = Set.of(
            "authorization",
            "x-api-key",
            "cookie",
            "origin",
            "referer",
            "forwarded",
            "x-forwarded-for",
            "x-forwarded-host",
            "x-forwarded-proto",
            "x-real-ip",
            "accept-encoding");

    private Headers() {}

    /** The client's headers that go upstream unchanged. */
    public static MultiMap forUpstream(MultiMap client) {
        MultiMap out = MultiMap.caseInsensitiveMultiMap();
        for (Map.Entry<String, String> header : client) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(name) && !CLIENT_ONLY.contains(name)) {
                out.add(header.getKey(), header.getValue());
            }
        }
        return out;
    }

    /** Sets the endpoint's own configured headers (those whose value could be read) on a request to it. */
    static void addEndpointHeaders(MultiMap headers, Endpoint endpoint) {
        endpoint.headers().forEach((name, value) -> {
            if (value.isAvailable()) {
                headers.set(name, value.reveal());
            }
        });
    }

    /** The endpoint's key to send; a configured key that could not be read fails the attempt with the reason. */
    static String usableKey(Endpoint endpoint, Secret key) {
        if (!key.isAvailable()) {
            throw ApiException.authentication("ccr: endpoint \"" + endpoint.name() + "\" has no usable apiKey: "
                    + key.problem().orElse("unknown reason"));
        }
        return key.reveal();
    }

    /** Upstream response headers relayed to the client; {@code keepLength} when the body passes through unchanged. */
    public static void copyToClient(MultiMap upstream, MultiMap client, boolean keepLength) {
        for (Map.Entry<String, String> header : upstream) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("content-length") ? keepLength : !HOP_BY_HOP.contains(name)) {
                client.add(header.getKey(), header.getValue());
            }
        }
    }

    /** The most of a model id the router echoes in {@code x-ccr-model}; real ids are a few dozen characters. */
    static final int MAX_ECHOED = 200;

    /** A value the router echoes in a response header, cut to {@link #MAX_ECHOED} characters (marked with "…"). */
    static String echoed(String value) {
        return value.length() <= MAX_ECHOED ? value : value.substring(0, MAX_ECHOED) + "…";
    }
}
