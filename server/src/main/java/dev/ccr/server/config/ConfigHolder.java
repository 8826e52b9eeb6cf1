package dev.ccr.server.config;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The config in force. Each request reads it once at its start and keeps that snapshot, so a reload never changes a
 * request midway and never drops one.
 */
public final class ConfigHolder {
    private final AtomicReference<EffectiveConfig> current;
    private final List<Consumer<EffectiveConfig>> listeners = new CopyOnWriteArrayList<>();

    public ConfigHolder(EffectiveConfig initial) {
        this.current = new AtomicReference<>(initial);
    }

    public EffectiveConfig current() {
        return current.get();
    }

    /** Installs a new config and tells the listeners. */
    public void replace(EffectiveConfig next) {
        current.set(next);
        listeners.forEach(listener -> listener.accept(next));
    }

    /** Called after each replacement, on the thread that replaced it. */
    public void onChange(Consumer<EffectiveConfig> listener) {
        listeners.add(listener);
    }
}
