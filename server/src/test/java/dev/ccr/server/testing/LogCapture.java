package dev.ccr.server.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** The application log's events while it is open, for tests that pin what is logged and at which level. */
public final class LogCapture implements AutoCloseable {
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger root;

    private LogCapture() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        appender.setContext(context);
        appender.start();
        root.addAppender(appender);
    }

    public static LogCapture start() {
        return new LogCapture();
    }

    /** The formatted messages logged at {@code level} or above, with their exceptions' class names. */
    public List<String> atLeast(Level level) {
        synchronized (appender.list) {
            return appender.list.stream()
                    .filter(e -> e.getLevel().isGreaterOrEqual(level))
                    .map(e -> e.getLevel() + " " + e.getFormattedMessage()
                            + (e.getThrowableProxy() == null
                                    ? ""
                                    : " " + e.getThrowableProxy().getClassName()))
                    .toList();
        }
    }

    @Override
    public void close() {
        root.detachAppender(appender);
    }
}
