package dev.ccr.server.config;

import static dev.ccr.server.config.ConfigProblems.orDefault;

import java.time.Duration;

/**
 * Checks and resolves {@code logLevel} and the {@code log} section (request logs and their retention). {@code --debug}
 * turns on body logging as well as the debug level, since a debugging user needs to see what was sent.
 */
final class LogSection {
    private final ConfigProblems problems;

    LogSection(ConfigProblems problems) {
        this.problems = problems;
    }

    LogLevel level(LogLevel raw, boolean debug) {
        return debug ? LogLevel.DEBUG : orDefault(raw, LogLevel.INFO);
    }

    EffectiveConfig.Log log(LogConfig raw, boolean debug, ConfigPath at) {
        EffectiveConfig.Log defaults = EffectiveConfig.Log.DEFAULTS;
        if (raw == null) {
            return debug ? withBodies(defaults) : defaults;
        }
        int maxBodyKb =
                problems.inRange(raw.maxBodyKB(), defaults.maxBodyBytes() / 1024, 1, 10_240, at.key("maxBodyKB"));
        int maxFileMb =
                problems.inRange(raw.maxFileMB(), (int) (defaults.maxFileBytes() >> 20), 1, 1024, at.key("maxFileMB"));
        int maxFiles = problems.inRange(raw.maxFiles(), defaults.maxFiles(), 1, 1000, at.key("maxFiles"));
        int retentionDays = problems.inRange(
                raw.retentionDays(), (int) defaults.retention().toDays(), 1, 3650, at.key("retentionDays"));
        int usageDays = problems.inRange(
                raw.usageRetentionDays(),
                (int) defaults.usageRetention().toDays(),
                1,
                3650,
                at.key("usageRetentionDays"));
        return new EffectiveConfig.Log(
                !Boolean.FALSE.equals(raw.requests()),
                debug || Boolean.TRUE.equals(raw.bodies()),
                maxBodyKb * 1024,
                maxFileMb * 1024L * 1024L,
                maxFiles,
                Duration.ofDays(retentionDays),
                Duration.ofDays(usageDays));
    }

    private static EffectiveConfig.Log withBodies(EffectiveConfig.Log log) {
        return new EffectiveConfig.Log(
                log.requests(),
                true,
                log.maxBodyBytes(),
                log.maxFileBytes(),
                log.maxFiles(),
                log.retention(),
                log.usageRetention());
    }
}
