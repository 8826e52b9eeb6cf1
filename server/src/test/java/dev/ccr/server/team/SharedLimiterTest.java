package dev.ccr.server.team;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.config.EffectiveConfig.RateLimits;
import dev.ccr.server.config.RedisAddress;
import dev.ccr.server.limits.LimitAdmission;
import dev.ccr.server.limits.LocalLimiter;
import dev.ccr.server.limits.Permit;
import dev.ccr.server.testing.RedisServer;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shared limiter against a real Redis, instance by instance: concurrency and tokens per minute held across
 * instances, and the slots of an instance that died coming back when its leases expire.
 */
class SharedLimiterTest {
    private final RedisServer redis = RedisServer.start();
    private final List<Vertx> instances = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Vertx vertx : instances) {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
        redis.close();
    }

    /** One instance's limiter (its own Vert.x, as a separate process would have). */
    private SharedLimiter instance(Duration lease) {
        Vertx vertx = Vertx.vertx();
        instances.add(vertx);
        EffectiveConfig.Shared settings = new EffectiveConfig.Shared(
                new RedisAddress(false, "127.0.0.1", redis.port(), 0, null, null), "ccr:", Duration.ofSeconds(1), null);
        TeamLink link = new TeamLink(vertx, settings, Clock.systemUTC());
        SharedLimiter limiter =
                new SharedLimiter(vertx, link, new LocalLimiter(Clock.systemUTC(), "client"), "client", lease);
        link.start();
        await().atMost(Duration.ofSeconds(20)).until(link::up);
        return limiter;
    }

    private static LimitAdmission admit(SharedLimiter limiter, RateLimits limits, long tokens) {
        return limiter.acquire("alice", limits, tokens)
                .toCompletionStage()
                .toCompletableFuture()
                .join();
    }

    @Test
    void concurrencyIsCountedAcrossInstancesAndFreedOnRelease() {
        SharedLimiter one = instance(SharedLimiter.LEASE);
        SharedLimiter two = instance(SharedLimiter.LEASE);
        RateLimits limits = new RateLimits(2, 0, 0);
        Permit first = (Permit) admit(one, limits, 0);
        Permit second = (Permit) admit(two, limits, 0);
        LimitAdmission.Refused third = (LimitAdmission.Refused) admit(one, limits, 0);
        assertThat(third.reason())
                .contains("2 requests in flight across the team")
                .contains("maxConcurrent");
        assertThat(third.waitable()).isTrue();
        assertThat(one.inFlight("alice")).isEqualTo(1);

        second.release(0);
        await().atMost(Duration.ofSeconds(5)).until(() -> admit(one, limits, 0) instanceof Permit);
        first.release(0);
    }

    @Test
    void theSlotsOfAnInstanceThatDiedComeBackWhenItsLeasesExpire() throws Exception {
        SharedLimiter doomed = instance(Duration.ofSeconds(1));
        SharedLimiter survivor = instance(Duration.ofSeconds(1));
        RateLimits limits = new RateLimits(1, 0, 0);
        assertThat(admit(doomed, limits, 0)).isInstanceOf(Permit.class);
        // The instance dies holding its permit: nothing releases it, nothing renews its lease.
        instances.get(0).close().await(10, TimeUnit.SECONDS);
        assertThat(admit(survivor, limits, 0)).isInstanceOf(LimitAdmission.Refused.class);
        long died = System.nanoTime();
        await().atMost(Duration.ofSeconds(10)).until(() -> admit(survivor, limits, 0) instanceof Permit);
        assertThat((System.nanoTime() - died) / 1_000_000).isGreaterThanOrEqualTo(500);
    }

    @Test
    void aRunningRequestKeepsItsSlotPastTheLeaseBecauseItIsRenewed() throws Exception {
        SharedLimiter one = instance(Duration.ofMillis(600));
        SharedLimiter two = instance(Duration.ofMillis(600));
        RateLimits limits = new RateLimits(1, 0, 0);
        Permit running = (Permit) admit(one, limits, 0);
        Thread.sleep(2_000);
        assertThat(admit(two, limits, 0))
                .as("still running after three lease lengths")
                .isInstanceOf(LimitAdmission.Refused.class);
        running.release(0);
    }

    @Test
    void tokensPerMinuteAreSharedAndCorrectedWithWhatRequestsReallyUsed() {
        SharedLimiter one = instance(SharedLimiter.LEASE);
        SharedLimiter two = instance(SharedLimiter.LEASE);
        RateLimits limits = new RateLimits(0, 0, 10_000);
        Permit big = (Permit) admit(one, limits, 9_000);
        assertThat(admit(two, limits, 2_000))
                .as("9,000 of 10,000 counted for the team")
                .isInstanceOf(LimitAdmission.Refused.class);
        big.release(1_000); // it used far less than estimated
        await().atMost(Duration.ofSeconds(5)).until(() -> admit(two, limits, 2_000) instanceof Permit);

        LimitAdmission.Refused never = (LimitAdmission.Refused) admit(one, limits, 20_000);
        assertThat(never.retryAfter())
                .as("a request larger than the limit never fits")
                .isNull();
        assertThat(never.waitable()).isFalse();
    }

    @Test
    void withoutRedisTheInstanceCountsOnItsOwn() {
        SharedLimiter one = instance(SharedLimiter.LEASE);
        redis.kill();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            admit(one, new RateLimits(0, 1, 0), 0);
            return admit(one, new RateLimits(0, 1, 0), 0) instanceof LimitAdmission.Refused refused
                    && !refused.reason().contains("across the team");
        });
    }
}
