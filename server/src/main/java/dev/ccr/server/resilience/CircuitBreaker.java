package dev.ccr.server.resilience;

import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.observe.metrics.BreakerState;
import java.time.Clock;

/**
 * One endpoint's circuit breaker. Closed, it counts outcomes; after {@code consecutiveFailures} failures in a row, or
 * a failure rate of at least {@code failureRatePercent} over the last {@code window} outcomes, it opens and the
 * endpoint is skipped for the cool-down. Then it half-opens: exactly one request (the probe) goes through; its success
 * closes the circuit, its failure opens it again for twice the cool-down (up to the maximum).
 *
 * <p>Outcomes of requests let through before the last change of state are ignored: a slow stream that started before
 * the circuit opened must not close it. Critical sections are a few field updates and never span I/O; in the closed
 * state {@link #admit} takes no lock and hands out one shared pass.
 */
final class CircuitBreaker {
    private final String endpoint;
    private final Clock clock;
    private final Runnable changed;
    private volatile EffectiveConfig.Breaker settings;

    private volatile BreakerState state = BreakerState.CLOSED;
    /** The shared pass of the current closed period; replaced at each change of state. */
    private volatile Pass closedPass;

    private int generation;
    private int consecutive;
    private boolean[] outcomes;
    private int recorded;
    private int next;
    private int failures;
    private long coolDownMillis;
    private volatile long openUntil;
    private boolean probing;
    private volatile String reason;

    CircuitBreaker(String endpoint, EffectiveConfig.Breaker settings, Clock clock, Runnable changed) {
        this.endpoint = endpoint;
        this.clock = clock;
        this.changed = changed;
        configure(settings);
        this.closedPass = new Pass(0, Pass.CLOSED);
    }

    void configure(EffectiveConfig.Breaker next) {
        boolean closedNow = false;
        synchronized (this) {
            boolean resize = settings == null || settings.window() != next.window();
            this.settings = next;
            if (resize) {
                outcomes = new boolean[next.window()];
                recorded = 0;
                this.next = 0;
                failures = 0;
            }
            if (!next.enabled() && state != BreakerState.CLOSED) {
                close();
                closedNow = true;
            }
            if (coolDownMillis == 0 || state == BreakerState.CLOSED) {
                coolDownMillis = next.coolDown().toMillis();
            }
        }
        if (closedNow) {
            changed.run();
        }
    }

    BreakerAdmission admit() {
        long now = clock.millis();
        if (state == BreakerState.CLOSED || !settings.enabled()) {
            return closedPass;
        }
        BreakerAdmission answer;
        boolean transitioned = false;
        synchronized (this) {
            if (state == BreakerState.CLOSED) {
                return closedPass;
            }
            if (state == BreakerState.OPEN && now >= openUntil) {
                state = BreakerState.HALF_OPEN;
                generation++;
                probing = false;
                transitioned = true;
            }
            if (state == BreakerState.HALF_OPEN && !probing) {
                probing = true;
                answer = new Pass(generation, Pass.PROBE);
            } else {
                long retryAt = state == BreakerState.OPEN ? openUntil : now + 1_000;
                answer = new BreakerAdmission.Refused(retryAt, describe());
            }
        }
        if (transitioned) {
            changed.run();
        }
        return answer;
    }

    /** A pass whatever the state: while closed the usual one, else one whose success closes the circuit. */
    BreakerPass force() {
        if (state == BreakerState.CLOSED || !settings.enabled()) {
            return closedPass;
        }
        synchronized (this) {
            return state == BreakerState.CLOSED ? closedPass : new Pass(generation, Pass.FORCED);
        }
    }

    /**
     * Another instance of the team opened this circuit (docs/TEAM.md): skip the endpoint here too until {@code until}
     * (epoch milliseconds), then probe it as after an opening of its own.
     */
    void adoptOpen(long until, String why) {
        synchronized (this) {
            if (!settings.enabled()) {
                return;
            }
            if (state == BreakerState.OPEN && openUntil >= until) {
                return;
            }
            state = BreakerState.OPEN;
            generation++;
            reason = why;
            openUntil = until;
            probing = false;
        }
        changed.run();
    }

    /** Another instance of the team saw the endpoint answer again: close this circuit too. */
    void adoptClosed() {
        synchronized (this) {
            if (state == BreakerState.CLOSED) {
                return;
            }
            close();
        }
        changed.run();
    }

    boolean available() {
        if (state == BreakerState.CLOSED || !settings.enabled()) {
            return true;
        }
        synchronized (this) {
            return state == BreakerState.OPEN ? clock.millis() >= openUntil : !probing;
        }
    }

    /** When a request may pass: now while closed or due for a probe; else the cool-down's end (or a probe's). */
    long readyAt() {
        if (state == BreakerState.CLOSED || !settings.enabled()) {
            return 0;
        }
        synchronized (this) {
            if (state == BreakerState.OPEN) {
                return openUntil;
            }
            return probing ? clock.millis() + 1_000 : 0;
        }
    }

    BreakerView view(long busyUntil) {
        BreakerState now = state;
        return new BreakerView(
                now, now == BreakerState.OPEN ? openUntil : 0, now == BreakerState.CLOSED ? null : reason, busyUntil);
    }

    BreakerState state() {
        return state;
    }

    private String describe() {
        if (state == BreakerState.OPEN) {
            long seconds = Math.max(1, (openUntil - clock.millis() + 999) / 1000);
            return "endpoint \"" + endpoint + "\" is skipped for " + seconds + " s more after repeated failures ("
                    + reason + ")";
        }
        return "endpoint \"" + endpoint + "\" is being probed after repeated failures (" + reason + ")";
    }

    private void record(Pass pass, boolean failed, String why) {
        boolean transitioned;
        synchronized (this) {
            if (pass.generation != generation) {
                return;
            }
            transitioned = switch (pass.kind) {
                case Pass.PROBE -> probeOutcome(failed, why);
                case Pass.FORCED -> forcedOutcome(failed);
                default -> closedOutcome(failed, why);
            };
        }
        if (transitioned) {
            changed.run();
        }
    }

    private void abandon(Pass pass) {
        if (pass.kind != Pass.PROBE) {
            return;
        }
        synchronized (this) {
            if (pass.generation == generation && state == BreakerState.HALF_OPEN) {
                probing = false; // let the next request probe instead
            }
        }
    }

    /** Holding the lock: one outcome while closed; true when it opened the circuit. */
    private boolean closedOutcome(boolean failed, String why) {
        if (state != BreakerState.CLOSED) {
            return false;
        }
        if (recorded == outcomes.length && outcomes[next]) {
            failures--;
        }
        outcomes[next] = failed;
        next = (next + 1) % outcomes.length;
        recorded = Math.min(recorded + 1, outcomes.length);
        if (!failed) {
            consecutive = 0;
            return false;
        }
        failures++;
        consecutive++;
        EffectiveConfig.Breaker s = settings;
        if (!s.enabled()) {
            return false;
        }
        if (consecutive >= s.consecutiveFailures()) {
            open(consecutive + " failures in a row, the last: " + why);
            return true;
        }
        if (recorded == outcomes.length && failures * 100 >= s.failureRatePercent() * outcomes.length) {
            open(failures + " of the last " + outcomes.length + " requests failed, the last: " + why);
            return true;
        }
        return false;
    }

    /** Holding the lock: the probe's outcome decides; always a change of state. */
    private boolean probeOutcome(boolean failed, String why) {
        if (failed) {
            coolDownMillis = Math.min(coolDownMillis * 2, settings.maxCoolDown().toMillis());
            open("the probe failed: " + why);
        } else {
            close();
        }
        return true;
    }

    /**
     * Holding the lock: a request that went although the circuit was open (nothing else could serve). Its success
     * shows the endpoint is back; its failure adds nothing to what opened the circuit, so the schedule stays.
     */
    private boolean forcedOutcome(boolean failed) {
        if (failed || state == BreakerState.CLOSED) {
            return false;
        }
        close();
        return true;
    }

    private void open(String why) {
        state = BreakerState.OPEN;
        generation++;
        reason = why;
        openUntil = clock.millis() + coolDownMillis;
        probing = false;
    }

    private void close() {
        state = BreakerState.CLOSED;
        generation++;
        reason = null;
        consecutive = 0;
        recorded = 0;
        next = 0;
        failures = 0;
        coolDownMillis = settings.coolDown().toMillis();
        closedPass = new Pass(generation, Pass.CLOSED);
    }

    /** A pass of one period of the circuit; the closed period's is shared by every request of that period. */
    private final class Pass implements BreakerPass {
        /** The shared pass of a closed period. */
        static final int CLOSED = 0;
        /** The one request let through to decide whether a half-open circuit closes. */
        static final int PROBE = 1;
        /** A request sent while the circuit is open because nothing else could serve it. */
        static final int FORCED = 2;

        final int generation;
        final int kind;

        Pass(int generation, int kind) {
            this.generation = generation;
            this.kind = kind;
        }

        @Override
        public void succeeded() {
            record(this, false, null);
        }

        @Override
        public void failed(String why) {
            record(this, true, why);
        }

        @Override
        public void abandoned() {
            abandon(this);
        }
    }
}
