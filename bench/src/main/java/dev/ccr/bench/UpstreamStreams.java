package dev.ccr.bench;

import dev.ccr.server.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Upstream answers of 2,000 chunks each, in OpenAI and Gemini format, shaped like a thinking model's tool-using turn:
 * reasoning, text, tool calls in fragments (OpenAI) or a signed function call (Gemini), then the finish and usage.
 */
final class UpstreamStreams {
    private static final String WORDS = "the a file path command output tool result error line function class test"
            + " run build search pattern directory content string number value option default when must should use"
            + " only never always before after return code change edit read write project user session model";

    private UpstreamStreams() {}

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
