package dev.ccr.server.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each part of a config read from another format was written, so that a problem the resolver finds in the ccr
 * config made from it ({@code $.endpoints[2].baseUrl}) is shown where the user wrote it ({@code
 * $.Providers[2].api_base_url}, with that line and column).
 */
final class WrittenPaths {
    /** The identity: the file is in ccr's own format. */
    static final WrittenPaths SAME = new WrittenPaths();

    private final Map<List<Object>, ConfigPath> written = new HashMap<>();

    /** Records that {@code ccr} came from what is written at {@code source}. */
    void map(ConfigPath ccr, ConfigPath source) {
        written.put(ccr.segments(), source);
    }

    /** Where the user wrote what ended up at {@code ccr}: the nearest recorded enclosing part, else the path itself. */
    ConfigPath written(ConfigPath ccr) {
        if (this == SAME) {
            return ccr;
        }
        List<Object> segments = ccr.segments();
        for (int length = segments.size(); length >= 0; length--) {
            ConfigPath source = written.get(segments.subList(0, length));
            if (source != null) {
                return source;
            }
        }
        return ConfigPath.ROOT;
    }
}
