package dev.ccr.server.config;

/** Values from the command line that win over the config file; {@code null} means "not given". */
public record Overrides(Integer port, String host, boolean debug) {
    public static final Overrides NONE = new Overrides(null, null, false);
}
