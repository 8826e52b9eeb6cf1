package dev.ccr.server.cli;

import java.util.Locale;

/** Numbers as the command line shows them to people. */
final class Format {
    private Format() {}

    /** 950, 12.3k, 4.5M. */
    static String tokens(long count) {
        if (count < 1000) {
            return Long.toString(count);
        }
        if (count < 1_000_000) {
            return String.format(Locale.ROOT, "%.1fk", count / 1000.0);
        }
        return String.format(Locale.ROOT, "%.1fM", count / 1_000_000.0);
    }

    /** $0.0176 below a dollar (what one request costs), $12.34 above. */
    static String usd(double dollars) {
        return dollars < 1
                ? String.format(Locale.ROOT, "$%.4f", dollars)
                : String.format(Locale.ROOT, "$%.2f", dollars);
    }

    /** 0.41s, 12.3s. */
    static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.2fs", millis / 1000.0);
    }
}
