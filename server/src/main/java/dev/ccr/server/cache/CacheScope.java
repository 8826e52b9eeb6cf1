package dev.ccr.server.cache;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Whose answer a cached answer is: part of every cache key, so a hit is served only to the caller the upstream
 * answered. A cached answer is what the upstream gave one credential; handing it to a caller with another credential
 * (or none the upstream would accept) would let anyone on the machine read it, and skip the upstream's refusal.
 *
 * <p>The scope names the router token when one was presented, and a keyed hash (HMAC-SHA256) of the client's own
 * upstream credential when one is forwarded; never the credential itself, so neither memory dumps of the cache nor a
 * shared store hold a usable key. A process-local cache hashes with a key random per process ({@link #PROCESS});
 * instances sharing one store must hash alike, so that store brings a key they share ({@link #keyedWith}).
 */
public final class CacheScope {
    /** The scope of a cache only this process reads. */
    public static final CacheScope PROCESS = keyedWith(randomKey());

    private static final String ALGORITHM = "HmacSHA256";

    private final ThreadLocal<Mac> macs;

    private CacheScope(byte[] key) {
        byte[] copy = key.clone();
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance(ALGORITHM);
                mac.init(new SecretKeySpec(copy, ALGORITHM));
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
            }
        });
    }

    /** A scope whose credential hashes come out the same in every process holding {@code key}. */
    public static CacheScope keyedWith(byte[] key) {
        return new CacheScope(key);
    }

    /**
     * The scope of a caller.
     *
     * @param tokenName the router token presented, or {@code null}
     * @param clientCredential the client's own upstream credential, or {@code null}
     */
    public String of(String tokenName, String clientCredential) {
        StringBuilder scope = new StringBuilder(64);
        scope.append("token:").append(tokenName == null ? "-" : tokenName);
        scope.append(";credential:");
        if (clientCredential == null) {
            scope.append('-');
        } else {
            byte[] digest = macs.get().doFinal(clientCredential.getBytes(StandardCharsets.UTF_8));
            scope.append(Base64.getEncoder().withoutPadding().encodeToString(digest));
        }
        return scope.toString();
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    @Override
    public String toString() {
        return "CacheScope[key hidden]";
    }
}
