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
 * shared store hold a usable key. The HMAC key is random per process: a process-local cache needs nothing else. Router
 * instances sharing one cache (a shared store behind {@link ResponseCache}) would each compute a different hash for
 * the same credential and never share entries; such a store needs a key the instances share (derived from the config,
 * or a {@code shared} secret), which is for that store to bring.
 */
public final class CacheScope {
    private static final String ALGORITHM = "HmacSHA256";
    private static final byte[] PROCESS_KEY = new byte[32];

    static {
        new SecureRandom().nextBytes(PROCESS_KEY);
    }

    private static final ThreadLocal<Mac> MACS = ThreadLocal.withInitial(() -> {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(PROCESS_KEY, ALGORITHM));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    });

    private CacheScope() {}

    /**
     * The scope of a caller.
     *
     * @param tokenName the router token presented, or {@code null}
     * @param clientCredential the client's own upstream credential, or {@code null}
     */
    public static String of(String tokenName, String clientCredential) {
        StringBuilder scope = new StringBuilder(64);
        scope.append("token:").append(tokenName == null ? "-" : tokenName);
        scope.append(";credential:");
        if (clientCredential == null) {
            scope.append('-');
        } else {
            byte[] digest = MACS.get().doFinal(clientCredential.getBytes(StandardCharsets.UTF_8));
            scope.append(Base64.getEncoder().withoutPadding().encodeToString(digest));
        }
        return scope.toString();
    }
}
