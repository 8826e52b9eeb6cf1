package dev.ccr.server.team;

import dev.ccr.server.cache.CacheKey;
import dev.ccr.server.cache.CacheScope;
import dev.ccr.server.cache.CachedAnswer;
import dev.ccr.server.cache.LocalResponseCache;
import dev.ccr.server.cache.ResponseCache;
import dev.ccr.server.config.EffectiveConfig;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * The response cache the team shares (docs/TEAM.md): an answer cached through one instance is a hit through any
 * other. Entries live in Redis under their {@link CacheKey}, which already names whose answer it is (the router token,
 * or a keyed hash of the client's own credential): a store needs nothing else to keep callers apart. Each expires
 * after {@code cache.ttl}; together they stay under {@code cache.maxSizeMB}, the entries closest to expiring making
 * room first (one Lua script stores and evicts). Large answers are stored deflated ({@link AnswerCodec}).
 *
 * <p>While Redis is unreachable or slow, answers are kept in and served from this instance's own memory cache, which
 * is also looked at first once Redis is back (it holds only what was cached meanwhile).
 */
public final class SharedResponseCache implements ResponseCache {
    private final TeamLink link;
    private final LocalResponseCache local;
    private final Script put;
    private final Script drop;
    private volatile EffectiveConfig.Cache settings;
    private volatile CacheScope scope;

    public SharedResponseCache(TeamLink link, LocalResponseCache local, EffectiveConfig.Cache settings) {
        this.link = link;
        this.local = local;
        this.settings = settings;
        this.put = link.script("cache_put");
        this.drop = link.script("cache_drop");
        link.onUp(this::agreeOnScopeKey);
    }

    @Override
    public Future<CachedAnswer> get(CacheKey key) {
        CachedAnswer here = local.get(key).result();
        if (here != null) {
            return Future.succeededFuture(here);
        }
        if (!link.up()) {
            link.fellBack();
            return Future.succeededFuture(null);
        }
        return link.send(Request.cmd(Command.GET).arg(entryKey(key)))
                .map(reply -> {
                    if (reply == null) {
                        return null;
                    }
                    CachedAnswer answer = AnswerCodec.decode(reply.toBytes());
                    if (answer == null) {
                        invalidate(key); // written by another version, or damaged
                    }
                    return answer;
                })
                .otherwise(failure -> {
                    link.fellBack();
                    return null;
                });
    }

    @Override
    public void put(CacheKey key, CachedAnswer answer) {
        if (!link.up()) {
            link.fellBack();
            local.put(key, answer);
            return;
        }
        EffectiveConfig.Cache now = settings;
        link.background(
                        put,
                        List.of(entryKey(key), link.key("cache:index"), link.key("cache:sizes")),
                        List.of(
                                AnswerCodec.encode(answer),
                                Math.max(1, now.ttl().toMillis()),
                                now.maxBytes(),
                                key.toString(),
                                link.key("cache:entry:")))
                .onFailure(e -> {
                    link.fellBack();
                    local.put(key, answer);
                });
    }

    @Override
    public void invalidate(CacheKey key) {
        local.invalidate(key);
        if (link.up()) {
            link.background(
                    drop,
                    List.of(entryKey(key), link.key("cache:index"), link.key("cache:sizes")),
                    List.of(key.toString()));
        }
    }

    /**
     * Applies this instance's settings to what it stores from now on. Turning the cache off here does not empty the
     * team's cache: other instances may still use it, and entries expire on their own.
     */
    @Override
    public void configure(EffectiveConfig.Cache next) {
        settings = next;
        local.configure(next);
    }

    /**
     * Hashes a client's own credential with a secret every instance of the team shares, so the same caller finds its
     * answers through any instance (docs/TEAM.md). The secret is made once by whichever instance connects first and
     * kept in Redis; until this instance has read it, it hashes with its own key (its answers are then found only
     * through it).
     */
    @Override
    public CacheScope scope() {
        CacheScope agreed = scope;
        return agreed == null ? CacheScope.PROCESS : agreed;
    }

    private void agreeOnScopeKey() {
        byte[] candidate = new byte[32];
        new SecureRandom().nextBytes(candidate);
        String name = link.key("cache:scope-key");
        link.send(Request.cmd(Command.SET)
                        .arg(name)
                        .arg(HexFormat.of().formatHex(candidate))
                        .arg("NX"))
                .compose(ignored -> link.send(Request.cmd(Command.GET).arg(name)))
                .onSuccess(reply -> {
                    if (reply != null) {
                        scope = CacheScope.keyedWith(HexFormat.of().parseHex(reply.toString()));
                    }
                });
    }

    private String entryKey(CacheKey key) {
        return link.key("cache:entry:" + key);
    }
}
