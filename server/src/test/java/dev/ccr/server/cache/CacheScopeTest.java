package dev.ccr.server.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CacheScopeTest {
    @Test
    void theScopeNamesTheTokenAndHashesTheCredentialWithoutHoldingIt() {
        String credential = "sk-ant-api03-some-client-key";
        String scope = CacheScope.of("alice", credential);

        assertThat(scope).startsWith("token:alice;credential:").doesNotContain(credential);
        assertThat(CacheScope.of("alice", credential))
                .as("stable within the process")
                .isEqualTo(scope);
        assertThat(CacheScope.of("alice", credential + "x")).isNotEqualTo(scope);
        assertThat(CacheScope.of("bob", credential)).isNotEqualTo(scope);
        assertThat(CacheScope.of(null, null)).isEqualTo("token:-;credential:-");
    }
}
