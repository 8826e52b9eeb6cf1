package dev.ccr.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigSchemaTest {
    private static final Path COMMITTED = Path.of("../vscode-extension/schemas/config.schema.json");

    @Test
    void theSchemaTheExtensionShipsMatchesTheConfigRecords() throws IOException {
        assertThat(Files.readString(COMMITTED))
                .as("the config records changed: copy server/target/classes/config.schema.json to %s", COMMITTED)
                .isEqualTo(ConfigSchema.render());
    }

    @Test
    void theSeedConfigFromTheDesignIsValid() {
        OutputUnit result = validator().validate(new JsonObject(ConfigLoaderTest.SEED));
        assertThat(result.getValid()).as(String.valueOf(result.getErrors())).isTrue();
    }

    @Test
    void unknownKeysAndMissingRequiredFieldsAreFlaggedInTheEditorToo() {
        assertThat(validator().validate(new JsonObject("{\"prot\": 3000}")).getValid())
                .isFalse();
        assertThat(validator()
                        .validate(new JsonObject("{\"endpoints\": [{\"name\": \"a\", \"type\": \"anthropic\"}]}"))
                        .getValid())
                .isFalse();
        assertThat(validator()
                        .validate(new JsonObject("{\"endpoints\": [{\"name\": \"a\", \"type\": \"openia\","
                                + " \"baseUrl\": \"http://x\"}]}"))
                        .getValid())
                .isFalse();
        assertThat(validator()
                        .validate(new JsonObject("{\"endpoints\": [{\"name\": \"a\", \"type\": \"custom\","
                                + " \"baseUrl\": \"http://x\", \"headers\": {\"X-Any\": \"v\"}}]}"))
                        .getValid())
                .isTrue();
    }

    @Test
    void claudeCodeRoutersFormatIsNotFlaggedButAMixOfBothIs() {
        assertThat(validator()
                        .validate(new JsonObject(ClaudeCodeRouterFormatTest.readmeExamples()))
                        .getValid())
                .isTrue();
        assertThat(validator()
                        .validate(new JsonObject("{\"Providers\": [], \"endpoints\": [{\"name\": \"a\","
                                + " \"type\": \"anthropic\", \"baseUrl\": \"http://x\"}]}"))
                        .getValid())
                .isFalse();
    }

    private static Validator validator() {
        JsonSchema schema = JsonSchema.of(new JsonObject(ConfigSchema.render()));
        return Validator.create(
                schema, new JsonSchemaOptions().setDraft(Draft.DRAFT7).setBaseUri("https://ccr.dev/schemas/"));
    }
}
