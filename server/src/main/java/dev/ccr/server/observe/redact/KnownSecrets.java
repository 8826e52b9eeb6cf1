package dev.ccr.server.observe.redact;

import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.config.Endpoint;
import dev.ccr.server.config.Secret;
import java.util.ArrayList;
import java.util.List;

/**
 * The secrets a config holds, and the redactor the application log uses. The log's layout is created by Logback, not
 * by us, so the current redactor lives here, replaced whenever a config is applied.
 */
public final class KnownSecrets {
    private static volatile Redactor forApplicationLog = Redactor.patternsOnly();

    private KnownSecrets() {}

    /**
     * Every credential in a config: endpoint keys, credential-named endpoint headers, router tokens, the password of
     * the team's Redis.
     */
    public static List<String> of(EffectiveConfig config) {
        List<String> values = new ArrayList<>();
        for (Endpoint endpoint : config.endpoints()) {
            add(values, endpoint.apiKey());
            endpoint.headers().forEach((name, value) -> {
                if (Redactor.isCredentialHeader(name)) {
                    add(values, value);
                }
            });
        }
        config.auth().tokens().forEach(token -> add(values, token.secret()));
        if (config.shared() != null) {
            add(values, config.shared().redis().password());
        }
        return values;
    }

    private static void add(List<String> values, Secret secret) {
        if (secret != null && secret.isAvailable()) {
            values.add(secret.reveal());
        }
    }

    /** Makes the application log mask this config's secrets from now on. */
    public static Redactor apply(EffectiveConfig config) {
        Redactor redactor = Redactor.of(of(config));
        forApplicationLog = redactor;
        return redactor;
    }

    public static Redactor forApplicationLog() {
        return forApplicationLog;
    }
}
