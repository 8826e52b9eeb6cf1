package dev.ccr.server.observe;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The listeners of a running router; a failing listener is logged and never breaks a request. */
public final class RequestListeners implements RequestListener {
    private static final Logger log = LoggerFactory.getLogger(RequestListeners.class);
    private final List<RequestListener> listeners = new CopyOnWriteArrayList<>();

    public void add(RequestListener listener) {
        listeners.add(listener);
    }

    public void remove(RequestListener listener) {
        listeners.remove(listener);
    }

    @Override
    public void started() {
        for (RequestListener listener : listeners) {
            try {
                listener.started();
            } catch (RuntimeException e) {
                log.warn("request listener {} failed: {}", listener.getClass().getSimpleName(), e.toString());
            }
        }
    }

    @Override
    public void completed(RequestRecord record) {
        for (RequestListener listener : listeners) {
            try {
                listener.completed(record);
            } catch (RuntimeException e) {
                log.warn("request listener {} failed: {}", listener.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
