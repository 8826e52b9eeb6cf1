package dev.ccr.server.observe.usage;

import java.util.Locale;

/** How usage history is broken down. */
public enum Grouping {
    MODEL,
    ENDPOINT,
    SESSION,
    CLIENT,
    DAY;

    public static Grouping parse(String text) {
        return valueOf(text.strip().toUpperCase(Locale.ROOT));
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
