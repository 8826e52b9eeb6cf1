package dev.ccr.server.testing;

import static org.awaitility.Awaitility.await;

import dev.ccr.server.team.Team;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A team on loopback: a real {@code redis-server} and several real routers sharing it (each its own process state,
 * port and files, as on separate machines), in front of whatever upstreams the test starts. Requests go to the
 * instances in turn, as a round-robin load balancer sends them.
 */
public final class TeamFixture implements AutoCloseable {
    public static final String TOKEN_A = "team-a-token-0123456789";
    public static final String TOKEN_B = "team-b-token-0123456789";

    private final RedisServer redis;
    private final List<RouterFixture> routers = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();

    private TeamFixture(RedisServer redis) {
        this.redis = redis;
    }

    /**
     * Starts Redis and {@code instances} routers on {@code config}, where {@code %REDIS%} stands for the Redis URL, and
     * waits until every router shares its state through Redis.
     */
    public static TeamFixture start(int instances, String config) {
        TeamFixture team = new TeamFixture(RedisServer.start());
        try {
            String text = config.replace("%REDIS%", team.redis.url());
            for (int i = 0; i < instances; i++) {
                team.routers.add(RouterFixture.start(text));
            }
            team.awaitShared();
            return team;
        } catch (RuntimeException e) {
            team.close();
            throw e;
        }
    }

    public RedisServer redis() {
        return redis;
    }

    public RouterFixture router(int index) {
        return routers.get(index);
    }

    public List<RouterFixture> routers() {
        return routers;
    }

    public Team team(int index) {
        return routers.get(index).runtime().team();
    }

    /** Waits until every instance shares its state through Redis. */
    public void awaitShared() {
        await().atMost(Duration.ofSeconds(30)).until(() -> routers.stream()
                .allMatch(r -> r.runtime().team().link().up()));
    }

    /** Waits until every instance runs on its own state. */
    public void awaitLocal() {
        await().atMost(Duration.ofSeconds(30)).until(() -> routers.stream()
                .noneMatch(r -> r.runtime().team().link().up()));
    }

    /** A Messages request to the next instance in turn. */
    public HttpResponse<String> send(String token, String body) {
        return send(next.getAndIncrement() % routers.size(), token, body);
    }

    /** A Messages request to one instance. */
    public HttpResponse<String> send(int instance, String token, String body) {
        return Http.post(
                routers.get(instance).baseUrl() + "/v1/messages",
                body,
                Map.of("content-type", "application/json", "authorization", "Bearer " + token));
    }

    @Override
    public void close() {
        routers.forEach(RouterFixture::close);
        redis.close();
    }
}
