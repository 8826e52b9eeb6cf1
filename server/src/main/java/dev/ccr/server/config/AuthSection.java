package dev.ccr.server.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * Checks and resolves the {@code auth} section: router tokens, whether client keys are accepted, and the hosts and
 * origins allowed in. A token that is unset, short or written with its {@code ccr:} prefix is an error, not a warning:
 * a router that starts with a weaker guard than the user wrote would be worse than one that does not start.
 */
final class AuthSection {
    private static final int MIN_TOKEN_LENGTH = 8;

    private final Function<String, String> environment;
    private final ConfigProblems problems;

    AuthSection(Function<String, String> environment, ConfigProblems problems) {
        this.environment = environment;
        this.problems = problems;
    }

    EffectiveConfig.Auth auth(AuthConfig raw, ConfigPath at) {
        if (raw == null) {
            return new EffectiveConfig.Auth(List.of(), true, Set.of(), Set.of());
        }
        List<EffectiveConfig.Token> tokens = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<RouterToken> rawTokens = raw.tokens() == null ? List.of() : raw.tokens();
        for (int i = 0; i < rawTokens.size(); i++) {
            RouterToken token = rawTokens.get(i);
            ConfigPath here = at.key("tokens").index(i);
            if (token == null || token.name() == null || token.name().isBlank()) {
                problems.error(here, "a token needs a name (shown in logs instead of the secret)");
                continue;
            }
            if (!names.add(token.name())) {
                problems.error(here.key("name"), "another token is already named \"" + token.name() + "\"");
            }
            if (token.token() == null) {
                problems.error(here, "token is required");
                continue;
            }
            Secret secret = Secret.resolve(token.token(), environment);
            if (secret.problem().isPresent()) {
                problems.error(here.key("token"), secret.problem().get());
            } else if (secret.reveal().length() < MIN_TOKEN_LENGTH) {
                problems.error(here.key("token"), "a router token needs at least " + MIN_TOKEN_LENGTH + " characters");
            } else if (secret.reveal().startsWith("ccr:")) {
                problems.error(here.key("token"), "write the token without the ccr: prefix; clients may add it");
            } else {
                tokens.add(new EffectiveConfig.Token(token.name(), secret));
            }
        }
        boolean allowClientKeys = raw.allowClientKeys() != null ? raw.allowClientKeys() : tokens.isEmpty();
        Set<String> hosts = new LinkedHashSet<>();
        if (raw.allowedHosts() != null) {
            raw.allowedHosts().forEach(h -> hosts.add(h.toLowerCase(Locale.ROOT)));
        }
        Set<String> origins = new LinkedHashSet<>();
        if (raw.allowedOrigins() != null) {
            origins.addAll(raw.allowedOrigins());
        }
        return new EffectiveConfig.Auth(List.copyOf(tokens), allowClientKeys, Set.copyOf(hosts), Set.copyOf(origins));
    }
}
