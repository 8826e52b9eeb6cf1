package dev.ccr.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpstreamProxyTest {
    private static final Path FILE = Path.of("/home/u/.claude-code-router/config.json");

    @Test
    void proxyUrlsOfTheUsualShapes() {
        UpstreamProxy http = UpstreamProxy.parse("http://127.0.0.1:7890");
        assertThat(http.kind()).isEqualTo(UpstreamProxy.Kind.HTTP);
        assertThat(http.port()).isEqualTo(7890);
        assertThat(http.username()).isNull();

        UpstreamProxy socks = UpstreamProxy.parse("socks5h://me:p%40ss@proxy.example");
        assertThat(socks.kind()).isEqualTo(UpstreamProxy.Kind.SOCKS5);
        assertThat(socks.port()).isEqualTo(1080);
        assertThat(socks.username()).isEqualTo("me");
        assertThat(socks.password().reveal()).isEqualTo("p@ss");
        assertThat(socks).hasToString("socks5://me:***@proxy.example:1080");
        assertThat(UpstreamProxy.parse("http://proxy.example/").port()).isEqualTo(80);

        assertThatThrownBy(() -> UpstreamProxy.parse("https://proxy.example:443"))
                .hasMessageContaining("write http:// for the proxy");
        assertThatThrownBy(() -> UpstreamProxy.parse("ftp://proxy.example")).hasMessageContaining("expected http://");
        assertThatThrownBy(() -> UpstreamProxy.parse("http://proxy.example/path"))
                .hasMessageContaining("only a scheme, a host and a port");
    }

    @Test
    void aBadProxyStopsTheConfigWithItsLocationAndNeverItsPassword() {
        String config =
                """
                {
                  "proxy": "https://me:topsecret@proxy.example:8443",
                  "endpoints": [
                    { "name": "a", "type": "openai", "baseUrl": "https://a.example/v1", "proxy": "${NO_SUCH_PROXY}" }
                  ]
                }
                """;
        assertThatThrownBy(() -> new ConfigLoader(Map.<String, String>of()::get)
                        .parse(config.getBytes(StandardCharsets.UTF_8), FILE, Overrides.NONE))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(FILE + ":2:3: $.proxy: a proxy reached over TLS (https://) is not supported")
                .hasMessageContaining(
                        FILE + ":4:73: $.endpoints[0].proxy: environment variable NO_SUCH_PROXY is not" + " set")
                .hasMessageNotContaining("topsecret");
    }
}
