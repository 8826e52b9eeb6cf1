package dev.ccr.server.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What is wrong with a config, collected while its sections are resolved: errors (the config is refused) and warnings
 * (it runs, but part of it will not work as written), each at the path it is about. Every section adds to the same
 * collector so the user sees every problem at once instead of fixing them one start at a time, and the checks and
 * messages that several sections share are written here once so they read the same wherever they appear.
 */
final class ConfigProblems {
    /** A problem before it is located in the file. */
    record Problem(ConfigPath path, String message) {}

    private final List<Problem> errors = new ArrayList<>();
    private final List<Problem> warnings = new ArrayList<>();
    private List<String> endpointNames = List.of();

    void error(ConfigPath at, String message) {
        errors.add(new Problem(at, message));
    }

    void warn(ConfigPath at, String message) {
        warnings.add(new Problem(at, message));
    }

    /** The errors so far, in the order found. */
    List<Problem> errors() {
        return Collections.unmodifiableList(errors);
    }

    /** The warnings so far, in the order found. */
    List<Problem> warnings() {
        return Collections.unmodifiableList(warnings);
    }

    /**
     * How many errors there are so far: a section notes it before checking a part and compares after, to drop a part
     * with errors of its own rather than build from it.
     */
    int errorCount() {
        return errors.size();
    }

    /** {@code value} when it is within {@code min..max}; else {@code fallback}, after an error when it was set. */
    int inRange(Integer value, int fallback, int min, int max, ConfigPath at) {
        if (value == null) {
            return fallback;
        }
        if (value < min || value > max) {
            error(at, "must be between " + min + " and " + max + ", got " + value);
            return fallback;
        }
        return value;
    }

    /** The endpoint names as written, in file order, before any endpoint is checked. */
    void endpointsWritten(List<String> names) {
        endpointNames = List.copyOf(names);
    }

    /**
     * Records that {@code name} names no usable endpoint. The names that would do are listed in file order, so the fix
     * is a copy away (and a typo shows next to the name it was meant to be). An endpoint that is written but has
     * problems of its own is not reported again here: its own problems say what to fix.
     */
    void noEndpointNamed(ConfigPath at, String name) {
        if (endpointNames.contains(name)) {
            return;
        }
        error(at, "no endpoint is named \"" + name + "\"; allowed: " + String.join(", ", endpointNames));
    }

    static <T> T orDefault(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
