package dev.ccr.bench;

import io.vertx.core.buffer.Buffer;

/**
 * Request bodies shaped like Claude Code's: a small one, and a realistic one of about 100 KB with 26 tools (each with
 * a JSON schema carrying {@code $schema} and {@code additionalProperties}), system blocks with cache control, an
 * in-list system message, and a long tool-using history.
 */
final class Bodies {
    private Bodies() {}

    static Buffer small(String model, boolean stream) {
        return Buffer.buffer("{\"model\":\"" + model + "\",\"max_tokens\":1024,\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"say hi\"}]}");
    }

    static Buffer realistic(String model, boolean stream) {
        StringBuilder body = new StringBuilder(110_000);
        body.append("{\"model\":\"")
                .append(model)
                .append("\",\"max_tokens\":32000,\"stream\":")
                .append(stream);
        body.append(",\"thinking\":{\"type\":\"adaptive\"},\"output_config\":{\"effort\":\"high\"}");
        body.append(
                ",\"metadata\":{\"user_id\":\"{\\\"session_id\\\":\\\"5d1b7c0e-1f2a-4f7e-9a43-6c1d2e3f4a5b\\\"}\"}");
        body.append(",\"system\":[{\"type\":\"text\",\"text\":\"x-anthropic-billing-header: cc_version=2.1.197\"},")
                .append("{\"type\":\"text\",\"text\":\"You are Claude Code, Anthropic's official CLI for Claude.\",")
                .append("\"cache_control\":{\"type\":\"ephemeral\"}},{\"type\":\"text\",\"text\":\"")
                .append(lorem(12_000))
                .append("\",\"cache_control\":{\"type\":\"ephemeral\"}}]");
        body.append(",\"tools\":[");
        String[] tools = {
            "Task",
            "Bash",
            "Glob",
            "Grep",
            "ExitPlanMode",
            "Read",
            "Edit",
            "MultiEdit",
            "Write",
            "NotebookEdit",
            "WebFetch",
            "TodoWrite",
            "WebSearch",
            "BashOutput",
            "KillShell",
            "SlashCommand",
            "ListMcpResources",
            "ReadMcpResource",
            "AskUserQuestion",
            "Skill",
            "EnterPlanMode",
            "LSP",
            "Monitor",
            "Agent",
            "Config",
            "Memory"
        };
        for (int i = 0; i < tools.length; i++) {
            if (i > 0) {
                body.append(',');
            }
            body.append("{\"name\":\"")
                    .append(tools[i])
                    .append("\",\"description\":\"")
                    .append(lorem(1_500));
            body.append(
                            "\",\"input_schema\":{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"type\":\"object\",")
                    .append("\"properties\":{\"command\":{\"type\":\"string\",\"description\":\"")
                    .append(lorem(200))
                    .append(
                            "\"},\"timeout\":{\"type\":\"number\",\"description\":\"Optional timeout in milliseconds\"},")
                    .append("\"paths\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}},")
                    .append("\"required\":[\"command\"],\"additionalProperties\":false}}");
        }
        body.append("],\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"<system-reminder>")
                .append(lorem(2_000))
                .append(
                        "</system-reminder>\"},{\"type\":\"text\",\"text\":\"Fix the failing test in the parser.\"}]},");
        body.append("{\"role\":\"system\",\"content\":\"").append(lorem(3_000)).append("\"}");
        for (int turn = 0; turn < 14; turn++) {
            body.append(",{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"")
                    .append(lorem(400))
                    .append("\",\"signature\":\"EqQBCkYIBxgCKkB")
                    .append("A".repeat(300))
                    .append("\"},{\"type\":\"text\",\"text\":\"Let me look.\"},{\"type\":\"tool_use\",\"id\":\"toolu_")
                    .append(turn)
                    .append("\",\"name\":\"Bash\",\"input\":{\"command\":\"grep -rn parse src/\"}}]}");
            body.append(",{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_")
                    .append(turn)
                    .append("\",\"content\":\"")
                    .append(lorem(1_200))
                    .append("\",\"is_error\":false}]}");
        }
        body.append(",{\"role\":\"user\",\"content\":\"Now run the tests again.\"}]}");
        return Buffer.buffer(body.toString());
    }

    private static String lorem(int length) {
        String words = "the quick brown fox jumps over the lazy dog while the parser reads tokens and writes events ";
        StringBuilder out = new StringBuilder(length);
        while (out.length() < length) {
            out.append(words);
        }
        return out.substring(0, length);
    }
}
