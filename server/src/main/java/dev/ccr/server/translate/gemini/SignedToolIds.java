package dev.ccr.server.translate.gemini;

import dev.ccr.server.translate.Ids;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Tool-use ids that also carry a Gemini thought signature.
 *
 * <p>Gemini rejects a conversation whose function calls come back without the {@code thoughtSignature} it attached to
 * them. The signature's Anthropic home is a thinking block, but Claude Code drops thinking blocks from the history for
 * model ids it does not know as Claude models (measured with 2.1.197: kept for {@code claude-sonnet-4-5}, dropped for
 * {@code claude-ccr/...} and {@code endpoint,model} ids), while it always sends tool_use ids back verbatim. So a
 * signed call's id carries the signature too, base64url-encoded, which keeps the id within Anthropic's {@code
 * [A-Za-z0-9_-]} alphabet.
 */
final class SignedToolIds {
    /** Separates the random id from the encoded signature; the random part is alphanumeric, so it cannot contain it. */
    private static final String MARK = "_gts_";

    private SignedToolIds() {}

    static String create(String signature) {
        String id = Ids.toolUse();
        if (signature == null || signature.isEmpty()) {
            return id;
        }
        return id
                + MARK
                + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.getBytes(StandardCharsets.UTF_8));
    }

    /** The signature an id carries, or {@code null}. */
    static String signature(String id) {
        int mark = id == null ? -1 : id.indexOf(MARK);
        if (mark < 0) {
            return null;
        }
        try {
            return new String(
                    Base64.getUrlDecoder().decode(id.substring(mark + MARK.length())), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null; // not one of ours after all
        }
    }
}
