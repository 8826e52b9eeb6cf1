package dev.ccr.server.testing;

import dev.ccr.server.config.ConfigLoader;
import dev.ccr.server.config.Endpoint;
import dev.ccr.server.config.Overrides;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Endpoints as the config loader builds them, for unit tests of translators that need one. */
public final class TestEndpoints {
    private TestEndpoints() {}

    /** An endpoint named {@code up} of this type, at an address nothing listens on. */
    public static Endpoint of(String type) {
        try {
            return new ConfigLoader(n -> null)
                    .parse(
                            ("{\"endpoints\":[{\"name\":\"up\",\"type\":\"" + type
                                            + "\",\"baseUrl\":\"http://127.0.0.1:9/v1\"}]}")
                                    .getBytes(StandardCharsets.UTF_8),
                            Path.of("c.json"),
                            Overrides.NONE)
                    .config()
                    .endpoints()
                    .get(0);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
