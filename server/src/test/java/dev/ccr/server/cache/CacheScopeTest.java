package dev.ccr.server.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccr.server.testing.FakeKeys;
import org.junit.jupiter.api.Test;

class CacheScopeTest {
    private static final String CREDENTIAL = FakeKeys.anthropic("api03-some-client-key");

    @Test
    void theScopeNamesTheTokenAndHashesTheCredentialWithoutHoldingIt() {
        String scope = CacheScope.PROCESS.of("alice", CREDENTIAL);

        assertThat(scope).startsWith("token:alice;credential:").doesNotContain(CREDENTIAL);
        assertThat(CacheScope.PROCESS.of("alice", CREDENTIAL))
                .as("stable within the process")
                .isEqualTo(scope);
        assertThat(CacheScope.PROCESS.of("alice", CREDENTIAL + "x")).isNotEqualTo(scope);
        assertThat(CacheScope.PROCESS.of("bob", CREDENTIAL)).isNotEqualTo(scope);
        assertThat(CacheScope.PROCESS.of(null, null)).isEqualTo("token:-;credential:-");
    }

    @Test
    void holdersOfOneKeyHashAlikeAndOthersDoNot() {
        byte[] shared = "a key every instance of the team read".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        assertThat(CacheScope.keyedWith(shared).of(null, CREDENTIAL))
                .isEqualTo(CacheScope.keyedWith(shared.clone()).of(null, CREDENTIAL))
                .isNotEqualTo(CacheScope.PROCESS.of(null, CREDENTIAL));
        assertThat(CacheScope.keyedWith(shared).toString()).doesNotContain("team");
    }
}
