package dev.ccr.server.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * The proxy the router reaches an upstream through: an HTTP proxy (plain requests for {@code http://} upstreams,
 * {@code CONNECT} tunnels for {@code https://} ones, so TLS still runs end to end) or a SOCKS proxy. Its password is a
 * {@link Secret}, so printing a proxy never shows it.
 *
 * @param username for proxy authentication (HTTP Basic or SOCKS5), or {@code null}
 * @param password for proxy authentication, or {@code null}
 */
public record UpstreamProxy(Kind kind, String host, int port, String username, Secret password) {
    /** How the proxy is spoken to. */
    public enum Kind {
        HTTP("http", 80),
        SOCKS4("socks4", 1080),
        SOCKS5("socks5", 1080);

        private final String scheme;
        private final int defaultPort;

        Kind(String scheme, int defaultPort) {
            this.scheme = scheme;
            this.defaultPort = defaultPort;
        }

        public String scheme() {
            return scheme;
        }
    }

    /** What {@code endpoints[].proxy} says to reach that endpoint without the top-level proxy. */
    public static final String NONE = "none";

    /** What the config may write, for messages. */
    static final String SHAPES =
            "http://host:port, socks5://host:port or socks4://host:port (user:password@ optional), or \"none\"";

    public UpstreamProxy {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(host);
    }

    /**
     * Parses a proxy URL, such as {@code http://127.0.0.1:7890} or {@code socks5://user:pw@proxy:1080}.
     *
     * @throws IllegalArgumentException saying what is wrong, without repeating the text (it may hold a password)
     */
    static UpstreamProxy parse(String text) {
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid proxy URL (" + e.getReason() + "); expected " + SHAPES);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        Kind kind =
                switch (scheme) {
                    case "http" -> Kind.HTTP;
                    case "socks5", "socks5h", "socks" -> Kind.SOCKS5;
                    case "socks4", "socks4a" -> Kind.SOCKS4;
                    case "https" ->
                        throw new IllegalArgumentException("a proxy reached over TLS (https://) is not supported;"
                                + " write http:// for the proxy: requests to https:// upstreams still travel"
                                + " encrypted, through a CONNECT tunnel");
                    default -> throw new IllegalArgumentException("expected " + SHAPES);
                };
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("the proxy URL has no host name; expected " + SHAPES);
        }
        String path = uri.getRawPath();
        if ((path != null && !path.isEmpty() && !path.equals("/")) || uri.getRawQuery() != null) {
            throw new IllegalArgumentException("a proxy URL has only a scheme, a host and a port; expected " + SHAPES);
        }
        String username = null;
        Secret password = null;
        if (uri.getRawUserInfo() != null) {
            String info = uri.getRawUserInfo();
            int colon = info.indexOf(':');
            username = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? null : Secret.of(decode(info.substring(colon + 1)));
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : kind.defaultPort;
        return new UpstreamProxy(kind, uri.getHost(), port, username, password);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The proxy as a URL without its password, for logs and summaries. */
    @Override
    public String toString() {
        return kind.scheme + "://" + (username == null ? "" : username + (password == null ? "" : ":***") + "@") + host
                + ":" + port;
    }
}
