package dev.ccr.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;

/**
 * The config loader, fuzzed from the documented configs: any file text either loads or is refused with {@link
 * ConfigException} naming the file, and loading is deterministic.
 */
class ConfigLoaderFuzzTest {
    private static final ConfigLoader LOADER = new ConfigLoader(name -> name.equals("SET") ? "value" : null);
    private static final Path FILE = Path.of("/fuzz/config.json");

    @FuzzTest(maxDuration = "5s")
    void anyTextLoadsOrIsRefusedWithItsProblems(byte[] text) {
        ConfigLoader.Loaded loaded;
        try {
            loaded = LOADER.parse(text, FILE, Overrides.NONE);
        } catch (ConfigException refused) {
            assertThat(refused.problems()).isNotEmpty();
            assertThat(refused.problems())
                    .allSatisfy(p -> assertThat(p.message()).isNotBlank());
            return;
        }
        assertThat(loaded.config().endpoints()).isNotEmpty();
        try {
            assertThat(LOADER.parse(text, FILE, Overrides.NONE).config()).isEqualTo(loaded.config());
        } catch (ConfigException e) {
            throw new AssertionError("loaded once, refused the second time", e);
        }
    }
}
