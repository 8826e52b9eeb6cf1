package dev.ccr.server.resilience;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads and writes how long a client should wait: {@code retry-after-ms} (Anthropic's, fractional milliseconds) first,
 * then {@code retry-after} in seconds or as an HTTP date, as Claude Code itself reads them.
 */
public final class RetryAfter {
    public static final String HEADER = "retry-after";
    public static final String HEADER_MS = "retry-after-ms";

    private RetryAfter() {}

    /**
     * The wait an answer asks for, or {@code null} when it names none (or names one that cannot be read).
     *
     * @param headers header value by (case-insensitive) name
     * @param nowMillis the time, for an HTTP date
     */
    public static Duration parse(Function<String, String> headers, long nowMillis) {
        String ms = headers.apply(HEADER_MS);
        if (ms != null) {
            try {
                double value = Double.parseDouble(ms.strip());
                if (value >= 0 && Double.isFinite(value)) {
                    return Duration.ofNanos((long) (value * 1_000_000));
                }
            } catch (NumberFormatException ignored) {
                // fall back to retry-after
            }
        }
        String value = headers.apply(HEADER);
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.strip();
        try {
            long seconds = Long.parseLong(text);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                long at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant()
                        .toEpochMilli();
                return Duration.ofMillis(Math.max(0, at - nowMillis));
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    /** Both headers for a wait: whole seconds, rounded up, for every client; milliseconds for those that read them. */
    public static Map<String, String> headers(Duration wait) {
        long millis = Math.max(0, wait.toMillis());
        return Map.of(HEADER, Long.toString((millis + 999) / 1000), HEADER_MS, Long.toString(millis));
    }
}
