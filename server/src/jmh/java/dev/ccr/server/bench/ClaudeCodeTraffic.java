package dev.ccr.server.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccr.server.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Deterministic stand-ins for real traffic: a Claude Code request of about 100 KB (26 tools with Claude Code's
 * schema habits, a long system prompt, an in-list system message, a long tool-loop history with thinking signatures),
 * and 2,000-chunk upstream streams in OpenAI and Gemini format.
 */
final class ClaudeCodeTraffic {
    static final List<String> TOOLS = List.of(
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
            "Skill",
            "AskUserQuestion",
            "ListMcpResources",
            "ReadMcpResource",
            "mcp__github__create_issue",
            "mcp__github__search_code",
            "mcp__github__get_pull_request",
            "mcp__linear__list_issues",
            "mcp__linear__update_issue",
            "mcp__sentry__get_event");

    private static final String WORDS = "the a file path command output tool result error line function class test"
            + " run build search pattern directory content string number value option default when must should use"
            + " only never always before after return code change edit read write project user session model";

    private ClaudeCodeTraffic() {}

    /** Pseudo-prose of about {@code length} characters. */
    static String prose(Random random, int length) {
        String[] words = WORDS.split(" ");
        StringBuilder out = new StringBuilder(length + 16);
        while (out.length() < length) {
            out.append(words[random.nextInt(words.length)]);
            out.append(random.nextInt(12) == 0 ? ".\n" : " ");
        }
        return out.toString();
    }

    static byte[] request() {
        Random random = new Random(42);
        ObjectNode request = Json.object();
        request.put("model", "claude-sonnet-5");
        request.put("max_tokens", 32000);
        request.put("stream", true);
        ArrayNode system = request.putArray("system");
        system.addObject().put("type", "text").put("text", "You are Claude Code, Anthropic's official CLI for Claude.");
        system.addObject().put("type", "text").put("text", prose(random, 14_000));
        system.addObject()
                .put("type", "text")
                .put("text", prose(random, 1_200))
                .putObject("cache_control")
                .put("type", "ephemeral");
        ArrayNode tools = request.putArray("tools");
        for (String name : TOOLS) {
            ObjectNode tool = tools.addObject().put("name", name).put("description", prose(random, 1_150));
            ObjectNode schema = tool.putObject("input_schema");
            schema.put("$schema", "http://json-schema.org/draft-07/schema#");
            schema.put("type", "object");
            ObjectNode properties = schema.putObject("properties");
            ArrayNode required = schema.putArray("required");
            for (int p = 0; p < 4; p++) {
                String property = "param_" + p;
                ObjectNode prop = properties
                        .putObject(property)
                        .put("type", p == 3 ? "array" : "string")
                        .put("description", prose(random, 90));
                if (p == 3) {
                    prop.putObject("items").put("type", "string");
                }
                if (p < 2) {
                    required.add(property);
                }
            }
            schema.put("additionalProperties", false);
        }
        ArrayNode messages = request.putArray("messages");
        messages.addObject()
                .put("role", "user")
                .putArray("content")
                .addObject()
                .put("type", "text")
                .put("text", "<system-reminder>" + prose(random, 1_500) + "</system-reminder>");
        messages.addObject().put("role", "system").put("content", prose(random, 3_000));
        messages.addObject().put("role", "user").put("content", "Refactor the parser and run the tests.");
        for (int turn = 0; turn < 14; turn++) {
            ArrayNode assistant = messages.addObject().put("role", "assistant").putArray("content");
            assistant
                    .addObject()
                    .put("type", "thinking")
                    .put("thinking", prose(random, 300))
                    .put(
                            "signature",
                            "Eq" + prose(random, 200).replace(' ', 'x').replace('\n', 'y'));
            assistant.addObject().put("type", "text").put("text", prose(random, 160));
            String id = "toolu_" + Integer.toString(100_000 + turn, 36) + "abcdefghijklmnop";
            ObjectNode use =
                    assistant.addObject().put("type", "tool_use").put("id", id).put("name", "Read");
            use.putObject("input").put("file_path", "/work/project/src/Module" + turn + ".java");
            ArrayNode user = messages.addObject().put("role", "user").putArray("content");
            user.addObject()
                    .put("type", "tool_result")
                    .put("tool_use_id", id)
                    .putArray("content")
                    .addObject()
                    .put("type", "text")
                    .put("text", prose(random, 1_650));
        }
        return Json.writeBytes(request);
    }

    /** An OpenAI stream of 2,000 chunks: reasoning, text, three tool calls in fragments, finish, usage. */
    static byte[] openAiStream() {
        Random random = new Random(7);
        StringBuilder out = new StringBuilder(400_000);
        int chunks = 0;
        out.append(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null));
        chunks++;
        for (int i = 0; i < 301; i++, chunks++) {
            out.append(chunk("{\"reasoning_content\":" + Json.write(prose(random, 20)) + "}", null));
        }
        for (int i = 0; i < 1_500; i++, chunks++) {
            out.append(chunk("{\"content\":" + Json.write(prose(random, 18)) + "}", null));
        }
        for (int call = 0; call < 3; call++) {
            out.append(chunk(
                    "{\"tool_calls\":[{\"index\":" + call + ",\"id\":\"call_" + call
                            + "\",\"type\":\"function\",\"function\":{\"name\":\"Bash\",\"arguments\":\"\"}}]}",
                    null));
            chunks++;
            for (int i = 0; i < 64; i++, chunks++) {
                out.append(chunk(
                        "{\"tool_calls\":[{\"index\":" + call + ",\"function\":{\"arguments\":"
                                + Json.write(i == 0 ? "{\"command\":\"" : i == 63 ? "\"}" : "ls -la ") + "}}]}",
                        null));
            }
        }
        out.append(chunk("{}", "tool_calls"));
        chunks++;
        out.append("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":"
                + "{\"prompt_tokens\":25000,\"completion_tokens\":3000,\"prompt_tokens_details\":"
                + "{\"cached_tokens\":20000}}}\n\ndata: [DONE]\n\n");
        chunks += 2;
        if (chunks != 2_000) {
            throw new IllegalStateException("stream has " + chunks + " chunks");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String chunk(String delta, String finish) {
        return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                + "\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":"
                + (finish == null ? "null" : "\"" + finish + "\"") + "}]}\n\n";
    }

    /** A Gemini stream of 2,000 chunks: thoughts, text, a signed function call, the finish. */
    static byte[] geminiStream() {
        Random random = new Random(9);
        StringBuilder out = new StringBuilder(600_000);
        for (int i = 0; i < 1_999; i++) {
            String part;
            if (i < 300) {
                part = "{\"text\":" + Json.write(prose(random, 20)) + ",\"thought\":true}";
            } else if (i < 1_998) {
                part = "{\"text\":" + Json.write(prose(random, 18)) + "}";
            } else {
                part = "{\"functionCall\":{\"name\":\"Bash\",\"args\":{\"command\":\"ls -la\"}},"
                        + "\"thoughtSignature\":\"CiQBcsjafE8dTQ1Yb0h0Y2lnbmF0dXJlZXhhbXBsZQ==\"}";
            }
            out.append(geminiChunk(part, null));
        }
        out.append(geminiChunk("{\"text\":\"\"}", "STOP"));
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String geminiChunk(String part, String finish) {
        return "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[" + part + "]}"
                + (finish == null ? "" : ",\"finishReason\":\"" + finish + "\"") + ",\"index\":0}],"
                + "\"usageMetadata\":{\"promptTokenCount\":25000,\"candidatesTokenCount\":3000,"
                + "\"cachedContentTokenCount\":20000},\"modelVersion\":\"gemini-2.5-pro\"}\r\n\r\n";
    }
}
