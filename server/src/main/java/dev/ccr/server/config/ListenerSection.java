package dev.ccr.server.config;

import static dev.ccr.server.config.ConfigProblems.orDefault;

import java.time.Duration;

/**
 * Checks and resolves how clients reach the router: {@code port}, {@code host}, {@code maxBodyMB} and
 * {@code connections}. Binding beyond loopback is refused without a router token, because the router spends the
 * upstream keys of whoever runs it on behalf of anyone who can connect.
 */
final class ListenerSection {
    private final ConfigProblems problems;

    ListenerSection(ConfigProblems problems) {
        this.problems = problems;
    }

    /** The port to listen on, the command line's over the file's. */
    int port(Integer raw, Integer override, ConfigPath at) {
        int port = override != null ? override : orDefault(raw, EffectiveConfig.DEFAULT_PORT);
        if (port < 0 || port > 65535) {
            problems.error(at, "port " + port + " is out of range; allowed: 0 to 65535");
        }
        return port;
    }

    /** The address to bind, the command line's over the file's. */
    String host(String raw, String override, ConfigPath at) {
        String host = override != null ? override : orDefault(raw, EffectiveConfig.DEFAULT_HOST);
        if (host.isBlank()) {
            problems.error(at, "host must not be empty; use 127.0.0.1 for local use");
        }
        return host;
    }

    /** The host/token rule: a router reachable from other machines must ask them for a router token. */
    void checkExposure(String host, EffectiveConfig.Auth auth, ConfigPath at) {
        if (!host.isBlank() && !LoopbackHosts.isLoopback(host) && !auth.requiresToken()) {
            problems.error(
                    at,
                    "binding " + host + " exposes the router beyond this machine; add a router token under"
                            + " auth.tokens first, or bind 127.0.0.1");
        }
    }

    /** The largest request body accepted, in bytes. */
    long maxBodyBytes(Integer rawMb, ConfigPath at) {
        int maxBodyMb = orDefault(rawMb, EffectiveConfig.DEFAULT_MAX_BODY_MB);
        if (maxBodyMb < 1 || maxBodyMb > 1024) {
            problems.error(at, "maxBodyMB must be between 1 and 1024, got " + maxBodyMb);
        }
        return maxBodyMb * 1024L * 1024L;
    }

    EffectiveConfig.Connections connections(ConnectionsConfig raw, ConfigPath at) {
        EffectiveConfig.Connections d = EffectiveConfig.Connections.DEFAULTS;
        if (raw == null) {
            return d;
        }
        int day = 86_400_000;
        return new EffectiveConfig.Connections(
                Duration.ofMillis(problems.inRange(
                        raw.headerTimeoutMs(), (int) d.headerTimeout().toMillis(), 1, day, at.key("headerTimeoutMs"))),
                Duration.ofMillis(problems.inRange(
                        raw.bodyIdleTimeoutMs(),
                        (int) d.bodyIdleTimeout().toMillis(),
                        1,
                        day,
                        at.key("bodyIdleTimeoutMs"))),
                Duration.ofMillis(problems.inRange(
                        raw.idleTimeoutMs(), (int) d.idleTimeout().toMillis(), 1, day, at.key("idleTimeoutMs"))),
                problems.inRange(raw.maxOpen(), d.maxOpen(), 1, 1_000_000, at.key("maxOpen")));
    }
}
