package dev.ccr.server.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a config in another format asks for that ccr cannot do, each thing said once: one warning per thing, located
 * where it is first written and naming everywhere it is used.
 */
final class NotHonoured {
    private record Entry(String what, String why, ConfigPath first, Set<String> users) {}

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    /**
     * Records one use.
     *
     * @param what the thing, as the user wrote it ({@code transformer "tooluse"})
     * @param why what it does there and what ccr does instead
     * @param user who uses it ({@code deepseek}, {@code deepseek,deepseek-chat}), or {@code null}
     */
    void add(String what, String why, ConfigPath at, String user) {
        Entry entry = entries.computeIfAbsent(what, k -> new Entry(what, why, at, new LinkedHashSet<>()));
        if (user != null) {
            entry.users().add(user);
        }
    }

    /** One warning per thing. */
    List<ConfigProblems.Problem> warnings() {
        List<ConfigProblems.Problem> warnings = new ArrayList<>();
        for (Entry entry : entries.values()) {
            String users = entry.users().isEmpty() ? "" : " (" + String.join("; ", entry.users()) + ")";
            warnings.add(new ConfigProblems.Problem(
                    entry.first(), entry.what() + " is not honoured" + users + ": " + entry.why()));
        }
        return warnings;
    }
}
