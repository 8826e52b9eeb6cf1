package dev.ccr.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccr.server.config.EffectiveConfig.ClientLimits;
import dev.ccr.server.config.EffectiveConfig.RateLimits;
import dev.ccr.server.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlowControlTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-03-10T22:00:00Z"));
    private final FlowControl flow = new FlowControl(
            new LocalLimiter(clock, "client"), new LocalLimiter(clock, "endpoint"), new LocalDailySpend(clock));

    @Test
    void aSpentDailyBudgetRefusesUntilMidnightAndANewDayStartsAfresh() {
        ClientLimits limits = new ClientLimits(RateLimits.NONE, 5.0);
        assertThat(flow.admitClient("ci", limits, 100).result()).isInstanceOf(Permit.class);
        flow.spent("ci", 3.0);
        flow.spent("ci", 2.5);
        LimitAdmission.Refused refused =
                (LimitAdmission.Refused) flow.admitClient("ci", limits, 100).result();
        assertThat(refused.waitable()).as("waiting minutes does not help").isFalse();
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofHours(2));
        assertThat(refused.reason())
                .isEqualTo("client \"ci\" spent $5.50 today, its daily budget is $5.00 (dailyBudgetUsd)");
        assertThat(flow.admitClient("other", limits, 100).result()).isInstanceOf(Permit.class);
        clock.advance(Duration.ofHours(2));
        assertThat(flow.admitClient("ci", limits, 100).result()).isInstanceOf(Permit.class);
    }

    @Test
    void spendBeforeTheRouterStartedCountsForTheSameDayOnly() {
        flow.spend().preload(LocalDate.parse("2026-03-09"), Map.of("ci", 100.0));
        flow.spend().preload(LocalDate.parse("2026-03-10"), Map.of("ci", 4.0));
        assertThat(flow.spend().today("ci")).isEqualTo(4.0);
    }

    @Test
    void withoutLimitsAClientHoldsNothing() {
        assertThat(flow.admitClient("x", ClientLimits.NONE, 1).result()).isSameAs(Permit.NONE);
        assertThat(flow.clients().inFlight("x")).isZero();
    }
}
