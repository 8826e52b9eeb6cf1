package dev.ccr.server.runtime;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.ccr.server.config.LogLevel;
import org.slf4j.LoggerFactory;

/** Applies the config's {@code logLevel} to the router's own loggers; libraries stay at warn unless tracing. */
public final class Logging {
    private Logging() {}

    public static void apply(LogLevel level) {
        if (!(LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context)) {
            return;
        }
        Logger ours = context.getLogger("dev.ccr");
        ours.setLevel(Level.toLevel(level.name(), Level.INFO));
        Level libraries = level == LogLevel.TRACE ? Level.DEBUG : Level.WARN;
        context.getLogger("io.vertx").setLevel(libraries);
        context.getLogger("io.netty").setLevel(libraries);
    }
}
