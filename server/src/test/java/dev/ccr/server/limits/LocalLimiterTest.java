package dev.ccr.server.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ccr.server.config.EffectiveConfig.RateLimits;
import dev.ccr.server.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Limits hold over minutes of traffic, simulated on a clock that moves only when told. */
class LocalLimiterTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00.250Z"));
    private final LocalLimiter limiter = new LocalLimiter(clock, "client");

    /** Offers {@code perSecond} requests each second, evenly spread, for {@code seconds}; returns admissions per second. */
    private List<Integer> offer(RateLimits limits, int perSecond, int seconds, long tokens) {
        List<Integer> admitted = new ArrayList<>();
        long step = 1_000 / perSecond;
        for (int s = 0; s < seconds; s++) {
            int count = 0;
            for (int i = 0; i < perSecond; i++) {
                if (limiter.admit("alice", limits, tokens) instanceof Permit permit) {
                    permit.release(-1);
                    count++;
                }
                clock.advance(Duration.ofMillis(step));
            }
            admitted.add(count);
        }
        return admitted;
    }

    private static int sum(List<Integer> perSecond, int from, int to) {
        return perSecond.subList(from, to).stream().mapToInt(Integer::intValue).sum();
    }

    @Test
    void requestsPerMinuteHoldsWithinTwoPercentForEverySlidingMinuteOfTraffic() {
        // Twice the allowed rate, for ten minutes.
        List<Integer> admitted = offer(new RateLimits(0, 600, 0), 20, 600, 0);
        for (int start = 0; start + 60 <= admitted.size(); start++) {
            assertThat(sum(admitted, start, start + 60))
                    .as("requests admitted in the minute from second %d", start)
                    .isCloseTo(600, within(12)); // 2 %
        }
        assertThat(sum(admitted, 0, 600)).isCloseTo(6_000, within(120));
    }

    @Test
    void underTheLimitNothingIsRefused() {
        List<Integer> admitted = offer(new RateLimits(0, 600, 0), 5, 300, 0);
        assertThat(admitted).allMatch(n -> n == 5);
    }

    @Test
    void tokensPerMinuteHoldsWithinTwoPercentCountingWhatRequestsReallyUsed() {
        // Minutes measured on the limiter's own second boundaries: each request is 2 % of the limit, so a window
        // shifted by a fraction of a second could hold one more or one less, which says nothing about the limiter.
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        LocalLimiter limiter = new LocalLimiter(clock, "client");
        RateLimits limits = new RateLimits(0, 0, 100_000);
        List<Integer> admitted = new ArrayList<>();
        for (int s = 0; s < 600; s++) {
            int count = 0;
            for (int i = 0; i < 10; i++) {
                // Estimated at 1,000 tokens on arrival; the answer then reports 2,000 (its output).
                if (limiter.admit("alice", limits, 1_000) instanceof Permit permit) {
                    permit.release(2_000);
                    count++;
                }
                clock.advance(Duration.ofMillis(100));
            }
            admitted.add(count);
        }
        for (int start = 0; start + 60 <= admitted.size(); start++) {
            long used = sum(admitted, start, start + 60) * 2_000L;
            assertThat(used)
                    .as("tokens used in the minute from second %d", start)
                    .isCloseTo(100_000L, within(2_000L));
        }
        assertThat(limiter.tokensInLastMinute("alice")).isLessThanOrEqualTo(100_000);
    }

    @Test
    void anEstimateThatWasTooHighIsGivenBackWhereItWasCounted() {
        RateLimits limits = new RateLimits(0, 0, 10_000);
        Permit big = (Permit) limiter.admit("alice", limits, 9_000);
        assertThat(limiter.admit("alice", limits, 2_000)).isInstanceOf(LimitAdmission.Refused.class);
        big.release(1_000);
        assertThat(limiter.tokensInLastMinute("alice")).isEqualTo(1_000);
        assertThat(limiter.admit("alice", limits, 2_000)).isInstanceOf(Permit.class);
    }

    @Test
    void aRefusalSaysWhenTheNextRequestFits() {
        RateLimits limits = new RateLimits(0, 3, 0);
        for (int i = 0; i < 3; i++) {
            ((Permit) limiter.admit("alice", limits, 0)).release(-1);
            clock.advance(Duration.ofSeconds(10));
        }
        // Requests at :00.25, :10.25, :20.25 (one-second buckets); now it is :30.25.
        LimitAdmission.Refused refused = (LimitAdmission.Refused) limiter.admit("alice", limits, 0);
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofMillis(29_750));
        assertThat(refused.waitable()).isTrue();
        assertThat(refused.reason()).isEqualTo("client \"alice\" reached 3 requests per minute (requestsPerMinute)");
        clock.advance(refused.retryAfter());
        assertThat(limiter.admit("alice", limits, 0)).isInstanceOf(Permit.class);
    }

    @Test
    void concurrencyCountsPermitsUntilTheyAreReleasedOnce() {
        RateLimits limits = new RateLimits(2, 0, 0);
        Permit first = (Permit) limiter.admit("alice", limits, 0);
        Permit second = (Permit) limiter.admit("alice", limits, 0);
        assertThat(limiter.admit("alice", limits, 0)).isInstanceOf(LimitAdmission.Refused.class);
        List<String> released = new ArrayList<>();
        limiter.onRelease(released::add);
        first.release(0);
        first.release(0); // twice is once
        assertThat(limiter.inFlight("alice")).isEqualTo(1);
        assertThat(released).containsExactly("alice");
        assertThat(limiter.admit("alice", limits, 0)).isInstanceOf(Permit.class);
        second.release(0);
        assertThat(limiter.admit("bob", limits, 0)).as("each key counts alone").isInstanceOf(Permit.class);
    }

    @Test
    void aRequestLargerThanTheTokenLimitCanNeverFit() {
        LimitAdmission.Refused refused =
                (LimitAdmission.Refused) limiter.admit("alice", new RateLimits(0, 0, 1_000), 5_000);
        assertThat(refused.retryAfter()).isNull();
        assertThat(refused.waitable()).isFalse();
        assertThat(refused.reason()).contains("~5000 tokens exceed").contains("1000 tokens per minute");
    }

    @Test
    void withoutLimitsOnlyRequestsInFlightAreCounted() {
        Permit permit = (Permit) limiter.admit("e", RateLimits.NONE, 50_000);
        assertThat(limiter.inFlight("e")).isEqualTo(1);
        assertThat(limiter.requestsInLastMinute("e")).isZero();
        permit.release(70_000);
        assertThat(limiter.inFlight("e")).isZero();
    }
}
