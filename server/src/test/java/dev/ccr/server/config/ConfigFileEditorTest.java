package dev.ccr.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileEditorTest {
    @TempDir
    Path directory;

    private ConfigFileEditor editor(Path file) {
        return new ConfigFileEditor(file, new ConfigLoader(name -> null), Overrides.NONE);
    }

    /** The new member is laid out like its neighbour, its content in the file's style (the first member's). */
    @Test
    void aChangeKeepsEveryOtherByteOfTheFile() throws Exception {
        Path file = directory.resolve("config.json");
        String original =
                "{\n    \"port\" : 3456,\n    \"endpoints\": [\n        {\"name\": \"a\", \"type\": \"anthropic\","
                        + " \"baseUrl\": \"https://api.anthropic.com/v1\", \"apiKey\": \"${KEY}\"}\n    ]\n}\n";
        Files.writeString(file, original);

        ConfigFileEditor.Outcome outcome =
                editor(file).change(document -> document.setInSection("cache", "ttl", IntNode.valueOf(60)), false);

        assertThat(outcome.written()).isTrue();
        assertThat(outcome.loaded().config().cache().ttl().toSeconds()).isEqualTo(60);
        assertThat(Files.readString(file))
                .isEqualTo(
                        original.replace("\n    ]\n}", "\n    ],\n    \"cache\": {\n        \"ttl\" : 60\n    }\n}"));
    }

    @Test
    void anInvalidResultIsRefusedWithLocatedProblemsAndNothingWritten() throws Exception {
        Path file = directory.resolve("config.json");
        String original =
                "{\"endpoints\": [{\"name\": \"a\", \"type\": \"anthropic\", \"baseUrl\": \"https://x/v1\"}]}";
        Files.writeString(file, original);

        ConfigEditException e = catchThrowableOfType(ConfigEditException.class, () -> editor(file)
                .change(d -> d.setSection("defaultEndpoint", TextNode.valueOf("b")), false));

        assertThat(e.kind()).isEqualTo(ConfigEditException.Kind.INVALID);
        assertThat(e.problems()).hasSize(1);
        assertThat(e.problems().get(0).path()).isEqualTo("$.defaultEndpoint");
        assertThat(e.problems().get(0).line()).isEqualTo(1);
        assertThat(Files.readString(file)).isEqualTo(original);
    }

    @Test
    void aClaudeCodeRouterFileIsNotEditedButPointsToTheMigration() throws Exception {
        Path file = directory.resolve("config.json");
        String original = "{\"Providers\": [{\"name\": \"p\", \"api_base_url\":"
                + " \"https://p.example/v1/chat/completions\", \"api_key\": \"k\"}], \"Router\": {}}";
        Files.writeString(file, original);

        ConfigEditException e = catchThrowableOfType(ConfigEditException.class, () -> editor(file)
                .change(document -> document.setInSection("cache", "ttl", IntNode.valueOf(60)), false));

        assertThat(e.kind()).isEqualTo(ConfigEditException.Kind.UNREADABLE);
        assertThat(e.getMessage()).contains("claude-code-router's format").contains("ccr config migrate");
        assertThat(Files.readString(file)).isEqualTo(original);
    }

    @Test
    void aDryRunValidatesWithoutWriting() throws Exception {
        Path file = directory.resolve("config.json");
        String original =
                "{\"endpoints\": [{\"name\": \"a\", \"type\": \"anthropic\", \"baseUrl\": \"https://x/v1\"}]}";
        Files.writeString(file, original);
        assertThat(editor(file)
                        .change(d -> d.setSection("logLevel", TextNode.valueOf("debug")), true)
                        .written())
                .isFalse();
        assertThat(Files.readString(file)).isEqualTo(original);
    }

    @Test
    void aMissingFileStartsFromTheDefaults() throws Exception {
        Path file = directory.resolve("new/config.json");
        editor(file)
                .change(
                        d -> d.addEndpoint(JsonNodeFactory.instance
                                .objectNode()
                                .put("name", "glm")
                                .put("type", "openai")
                                .put("baseUrl", "https://api.z.ai/v4")),
                        false);
        assertThat(Files.readString(file))
                .isEqualTo(
                        "{\n  \"endpoints\": [\n    {\n      \"name\": \"anthropic\",\n      \"type\": \"anthropic\",\n"
                                + "      \"baseUrl\": \"https://api.anthropic.com/v1\"\n    },\n    {\n      \"name\": \"glm\",\n"
                                + "      \"type\": \"openai\",\n      \"baseUrl\": \"https://api.z.ai/v4\"\n    }\n  ]\n}\n");
    }

    @Test
    void aFileThatIsNotJsonIsRefusedUntouched() throws Exception {
        Path file = directory.resolve("config.json");
        Files.writeString(file, "{\n  \"endpoints\": [\n}\n");
        ConfigEditException e = catchThrowableOfType(ConfigEditException.class, () -> editor(file)
                .change(d -> d.setSection("logLevel", TextNode.valueOf("debug")), false));
        assertThat(e.kind()).isEqualTo(ConfigEditException.Kind.UNREADABLE);
        assertThat(e.getMessage())
                .isEqualTo(file + ":3:1: invalid JSON: expected a value, found '}'; fix the file first (it was not"
                        + " changed)");
        assertThat(Files.readString(file)).isEqualTo("{\n  \"endpoints\": [\n}\n");
    }
}
