package dev.ccr.server.config;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Checks and resolves the {@code shared} section (team mode, docs/TEAM.md). The Redis URL may hold a password, so no
 * message here repeats the URL as written: each names the part that is wrong.
 */
final class SharedSection {
    static final String DEFAULT_PREFIX = "ccr:";
    static final int DEFAULT_TIMEOUT_MS = 10;
    private static final int MAX_TIMEOUT_MS = 10_000;
    private static final Pattern PREFIX = Pattern.compile("[\\x21-\\x7e]{1,64}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]+|\\[[0-9A-Fa-f:.]+]");

    private final Function<String, String> environment;
    private final ConfigProblems problems;

    SharedSection(Function<String, String> environment, ConfigProblems problems) {
        this.environment = environment;
        this.problems = problems;
    }

    /** The resolved section, or {@code null} when there is none (or it is unusable: then a problem says why). */
    EffectiveConfig.Shared resolve(SharedConfig raw, ConfigPath at) {
        if (raw == null) {
            return null;
        }
        int before = problems.errorCount();
        RedisAddress redis = null;
        if (raw.redis() == null || raw.redis().isBlank()) {
            problems.error(at, "shared.redis is required: the Redis URL, such as \"redis://10.0.0.5:6379\"");
        } else {
            redis = address(raw.redis(), at.key("redis"));
        }
        String prefix = raw.keyPrefix() == null ? DEFAULT_PREFIX : raw.keyPrefix();
        if (!PREFIX.matcher(prefix).matches()) {
            problems.error(at.key("keyPrefix"), "keyPrefix must be 1 to 64 printable characters without spaces");
        }
        int timeout = raw.timeoutMs() == null ? DEFAULT_TIMEOUT_MS : raw.timeoutMs();
        if (timeout < 1 || timeout > MAX_TIMEOUT_MS) {
            problems.error(
                    at.key("timeoutMs"), "must be between 1 and " + MAX_TIMEOUT_MS + " milliseconds, got " + timeout);
        }
        Path caFile = null;
        if (raw.caFile() != null) {
            caFile = caFile(raw.caFile(), redis, at.key("caFile"));
        }
        if (problems.errorCount() > before) {
            return null;
        }
        return new EffectiveConfig.Shared(redis, prefix, Duration.ofMillis(timeout), caFile);
    }

    private Path caFile(String raw, RedisAddress redis, ConfigPath at) {
        if (redis != null && !redis.tls()) {
            problems.warn(at, "caFile applies to rediss:// (TLS) only");
        }
        try {
            Path file = Path.of(raw);
            if (!Files.isReadable(file)) {
                problems.error(at, "cannot read " + file);
                return null;
            }
            return file.toAbsolutePath();
        } catch (InvalidPathException e) {
            problems.error(at, "not a file name: " + e.getReason());
            return null;
        }
    }

    /** {@code redis[s]://[user[:password]@]host[:port][/db]}, with {@code ${ENV}} allowed in each part. */
    private RedisAddress address(String raw, ConfigPath at) {
        int schemeEnd = raw.indexOf("://");
        String scheme = schemeEnd < 0 ? "" : raw.substring(0, schemeEnd);
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            problems.error(at, "must start with redis:// or rediss:// (TLS), as in \"redis://10.0.0.5:6379\"");
            return null;
        }
        String rest = raw.substring(schemeEnd + 3);
        if (rest.indexOf('?') >= 0 || rest.indexOf('#') >= 0) {
            problems.error(at, "query parameters are not supported: write redis://[user:password@]host:port[/db]");
            return null;
        }
        int at1 = rest.lastIndexOf('@');
        String userInfo = at1 < 0 ? null : rest.substring(0, at1);
        String location = at1 < 0 ? rest : rest.substring(at1 + 1);
        int slash = location.indexOf('/');
        String hostPort = slash < 0 ? location : location.substring(0, slash);
        String path = slash < 0 ? "" : location.substring(slash + 1);

        String host;
        String portText = null;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            host = close < 0 ? hostPort : hostPort.substring(0, close + 1);
            if (close >= 0 && close + 1 < hostPort.length()) {
                if (hostPort.charAt(close + 1) != ':') {
                    host = hostPort;
                } else {
                    portText = hostPort.substring(close + 2);
                }
            }
        } else {
            int colon = hostPort.lastIndexOf(':');
            host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            portText = colon < 0 ? null : hostPort.substring(colon + 1);
        }
        host = resolveText(host, at, "the host");
        if (host == null) {
            return null;
        }
        if (host.isEmpty() || !HOST.matcher(host).matches()) {
            problems.error(
                    at, "the host is missing or invalid: write redis://host:port, such as redis://10.0.0.5:6379");
            return null;
        }
        int port = 6379;
        if (portText != null) {
            String resolved = resolveText(portText, at, "the port");
            if (resolved == null) {
                return null;
            }
            try {
                port = Integer.parseInt(resolved);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                problems.error(at, "the port must be a number from 1 to 65535");
                return null;
            }
        }
        int database = 0;
        if (!path.isEmpty()) {
            try {
                database = Integer.parseInt(path);
            } catch (NumberFormatException e) {
                database = -1;
            }
            if (database < 0) {
                problems.error(at, "the path must be a database number, as in redis://host:6379/2 (0 when left out)");
                return null;
            }
        }
        String user = null;
        Secret password = null;
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            String rawUser = colon < 0 ? userInfo : userInfo.substring(0, colon);
            if (!rawUser.isEmpty()) {
                user = resolveText(rawUser, at, "the user name");
                if (user == null) {
                    return null;
                }
            }
            if (colon >= 0) {
                password = resolvePassword(userInfo.substring(colon + 1), at);
                if (password == null) {
                    return null;
                }
            }
        }
        return new RedisAddress(scheme.equals("rediss"), unbracket(host), port, database, user, password);
    }

    /** A literal part is %-decoded; a part from the environment is taken as it is. */
    private String resolveText(String raw, ConfigPath at, String what) {
        Secret resolved = Secret.resolve(decodeLiterals(raw, at, what), environment);
        if (!resolved.isAvailable()) {
            problems.error(at, what + ": " + resolved.problem().orElse("not set"));
            return null;
        }
        return resolved.reveal();
    }

    /**
     * The password. An unset variable is a warning, not an error: the instance then runs on its own state (Redis
     * refuses it) and says so, rather than not starting.
     */
    private Secret resolvePassword(String raw, ConfigPath at) {
        String decoded = decodeLiterals(raw, at, "the password");
        if (decoded == null) {
            return null;
        }
        Secret password = Secret.resolve(decoded, environment);
        password.problem()
                .ifPresent(why -> problems.warn(
                        at,
                        "the password: " + why + "; until it is, Redis will refuse this instance and it runs on its"
                                + " own state"));
        return password;
    }

    /** %-decodes the text outside {@code ${...}} references; {@code null} (with a problem) for a broken escape. */
    private String decodeLiterals(String raw, ConfigPath at, String what) {
        if (raw == null || raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] bytes = raw.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '%') {
                out.write(bytes[i]);
                continue;
            }
            int high = i + 2 < bytes.length ? Character.digit(bytes[i + 1], 16) : -1;
            int low = i + 2 < bytes.length ? Character.digit(bytes[i + 2], 16) : -1;
            if (high < 0 || low < 0) {
                problems.error(at, what + " has a '%' that does not start an escape such as %40 (for @)");
                return null;
            }
            out.write(high * 16 + low);
            i += 2;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
