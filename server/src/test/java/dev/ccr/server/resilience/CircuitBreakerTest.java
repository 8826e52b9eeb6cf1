package dev.ccr.server.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.observe.metrics.BreakerState;
import dev.ccr.server.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The breaker's state machine, step by step on a clock that only moves when told. */
class CircuitBreakerTest {
    private static final EffectiveConfig.Breaker SETTINGS =
            new EffectiveConfig.Breaker(true, 3, 50, 10, Duration.ofSeconds(30), Duration.ofSeconds(100));

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final LocalCircuitBreakers breakers = new LocalCircuitBreakers(SETTINGS, clock);
    private final List<BreakerState> changes = new ArrayList<>();

    CircuitBreakerTest() {
        breakers.onChange((endpoint, view) -> changes.add(view.state()));
    }

    private BreakerPass pass() {
        BreakerAdmission admission = breakers.admit("a");
        assertThat(admission).isInstanceOf(BreakerPass.class);
        return (BreakerPass) admission;
    }

    private void fail(int times) {
        for (int i = 0; i < times; i++) {
            pass().failed("HTTP 529");
        }
    }

    @Test
    void opensAfterConsecutiveFailuresAndRefusesUntilTheCoolDownEnds() {
        fail(2);
        pass().succeeded(); // a success resets the run
        fail(2);
        assertThat(breakers.view("a").state()).isEqualTo(BreakerState.CLOSED);
        fail(1);
        assertThat(breakers.view("a").state()).isEqualTo(BreakerState.OPEN);
        assertThat(breakers.available("a")).isFalse();
        BreakerAdmission refused = breakers.admit("a");
        assertThat(refused).isInstanceOf(BreakerAdmission.Refused.class);
        assertThat(((BreakerAdmission.Refused) refused).retryAtMillis()).isEqualTo(clock.millis() + 30_000);
        assertThat(((BreakerAdmission.Refused) refused).reason())
                .contains("skipped for 30 s more")
                .contains("3 failures in a row, the last: HTTP 529");
        assertThat(changes).containsExactly(BreakerState.OPEN);
    }

    @Test
    void opensOnAFailureRateOverTheWindowEvenWithoutARun() {
        // Alternating failures never make a run of three, but half of the last ten failed.
        for (int i = 0; i < 9; i++) {
            BreakerPass pass = pass();
            if (i % 2 == 0) {
                pass.failed("HTTP 500");
            } else {
                pass.succeeded();
            }
        }
        assertThat(breakers.view("a").state()).isEqualTo(BreakerState.CLOSED); // 5 of 9: the window is not full
        pass().succeeded(); // 5 of 10 = 50 %: but the last outcome is a success, and only failures can open
        assertThat(breakers.view("a").state()).isEqualTo(BreakerState.CLOSED);
        pass().failed("HTTP 500"); // the oldest (a failure) leaves, this one enters: still 5 of 10
        assertThat(breakers.view("a").state()).isEqualTo(BreakerState.OPEN);
        assertThat(breakers.view("a").reason()).startsWith("5 of the last 10 requests failed");
    }

    @Test
    void halfOpensWithExactlyOneProbeWhoseSuccessCloses() {
        fail(3);
        clock.advance(Duration.ofSeconds(30));
        assertThat(breakers.available("a")).isTrue();
        BreakerPass probe = pass();
        assertThat(breakers.view("a").state()).isEqualTo(BreakerState.HALF_OPEN);
        assertThat(breakers.admit("a"))
                .as("a second request while probing")
                .isInstanceOf(BreakerAdmission.Refused.class);
        assertThat(breakers.available("a")).isFalse();
        probe.succeeded();
        assertThat(breakers.view("a").state()).isEqualTo(BreakerState.CLOSED);
        assertThat(breakers.view("a").reason()).isNull();
        assertThat(changes).containsExactly(BreakerState.OPEN, BreakerState.HALF_OPEN, BreakerState.CLOSED);
        // Closed afresh: it takes a whole new run to open again.
        fail(2);
        assertThat(breakers.view("a").state()).isEqualTo(BreakerState.CLOSED);
    }

    @Test
    void aFailedProbeReopensForTwiceTheCoolDownUpToTheMaximum() {
        fail(3);
        long[] expected = {60_000, 100_000, 100_000};
        for (long coolDown : expected) {
            clock.advance(Duration.ofMinutes(5));
            pass().failed("connection refused");
            assertThat(breakers.view("a").state()).isEqualTo(BreakerState.OPEN);
            assertThat(breakers.view("a").openUntilMillis()).isEqualTo(clock.millis() + coolDown);
            assertThat(breakers.view("a").reason()).isEqualTo("the probe failed: connection refused");
        }
        clock.advance(Duration.ofMinutes(5));
        pass().succeeded();
        fail(3);
        assertThat(breakers.view("a").openUntilMillis())
                .as("closing resets the cool-down")
                .isEqualTo(clock.millis() + 30_000);
    }

    @Test
    void anAbandonedProbeLetsTheNextRequestProbe() {
        fail(3);
        clock.advance(Duration.ofSeconds(31));
        pass().abandoned(); // the client left: says nothing about the endpoint
        assertThat(breakers.view("a").state()).isEqualTo(BreakerState.HALF_OPEN);
        pass().succeeded();
        assertThat(breakers.view("a").state()).isEqualTo(BreakerState.CLOSED);
    }

    @Test
    void outcomesOfRequestsLetThroughBeforeAChangeAreIgnored() {
        BreakerPass slowStream = pass();
        fail(3);
        slowStream.succeeded(); // began before the circuit opened: must not close it
        assertThat(breakers.view("a").state()).isEqualTo(BreakerState.OPEN);
        clock.advance(Duration.ofSeconds(30));
        BreakerPass probe = pass();
        slowStream.failed("late"); // nor fail the probe's period
        assertThat(breakers.view("a").state()).isEqualTo(BreakerState.HALF_OPEN);
        probe.succeeded();
        assertThat(breakers.view("a").state()).isEqualTo(BreakerState.CLOSED);
    }

    @Test
    void aBusyMarkNeverOpensTheCircuitOrRefusesAndEndsOnTime() {
        breakers.markBusy("a", Duration.ofSeconds(20));
        assertThat(breakers.busyUntil("a")).isEqualTo(clock.millis() + 20_000);
        assertThat(breakers.admit("a")).as("busy is not broken").isInstanceOf(BreakerPass.class);
        assertThat(breakers.available("a")).isTrue();
        assertThat(breakers.view("a").state()).isEqualTo(BreakerState.CLOSED);
        assertThat(breakers.view("a").busyUntilMillis()).isEqualTo(clock.millis() + 20_000);
        breakers.markBusy(CircuitBreakers.busyKey("a", "alice"), Duration.ofSeconds(60));
        assertThat(breakers.busyUntil(CircuitBreakers.busyKey("a", "bob"))).isZero();
        clock.advance(Duration.ofSeconds(20));
        assertThat(breakers.busyUntil("a")).isZero();
        assertThat(breakers.view("a").busyUntilMillis()).isZero();
        breakers.configure(SETTINGS, Set.of("b"));
        assertThat(breakers.busyUntil(CircuitBreakers.busyKey("a", "alice")))
                .as("forgotten with its endpoint")
                .isZero();
        assertThat(changes).isEmpty();
    }

    @Test
    void aForcedPassGoesThroughAnOpenCircuitAndItsSuccessClosesIt() {
        fail(3);
        assertThat(breakers.readyAt("a")).isEqualTo(clock.millis() + 30_000);
        BreakerPass forced = breakers.force("a");
        forced.failed("HTTP 500");
        assertThat(breakers.view("a").state()).isEqualTo(BreakerState.OPEN);
        assertThat(breakers.view("a").openUntilMillis())
                .as("a forced failure keeps the schedule")
                .isEqualTo(clock.millis() + 30_000);
        breakers.force("a").succeeded();
        assertThat(breakers.view("a").state()).isEqualTo(BreakerState.CLOSED);
        assertThat(breakers.readyAt("a")).isZero();
        assertThat(changes).containsExactly(BreakerState.OPEN, BreakerState.CLOSED);
    }

    @Test
    void whileProbingTheNextRequestIsReadyInASecond() {
        fail(3);
        clock.advance(Duration.ofSeconds(30));
        assertThat(breakers.readyAt("a")).isLessThanOrEqualTo(clock.millis());
        pass();
        assertThat(breakers.readyAt("a")).isEqualTo(clock.millis() + 1_000);
    }

    @Test
    void disabledItNeverOpensAndDisablingClosesAnOpenOne() {
        fail(3);
        breakers.configure(
                new EffectiveConfig.Breaker(false, 3, 50, 10, Duration.ofSeconds(30), Duration.ofSeconds(100)),
                Set.of("a"));
        assertThat(breakers.view("a").state()).isEqualTo(BreakerState.CLOSED);
        fail(10);
        assertThat(breakers.view("a").state()).isEqualTo(BreakerState.CLOSED);
        assertThat(breakers.available("a")).isTrue();
    }

    @Test
    void endpointsAreIndependentAndForgottenWhenRemoved() {
        fail(3);
        assertThat(breakers.available("b")).isTrue();
        breakers.configure(SETTINGS, Set.of("b"));
        assertThat(breakers.view("a").state()).isEqualTo(BreakerState.CLOSED);
    }
}
