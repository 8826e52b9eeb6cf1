package dev.ccr.protocol.claude;

import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.jsonrpc.services.JsonRequest;
import org.eclipse.lsp4j.jsonrpc.services.JsonSegment;

/**
 * {@code claude/*}: pointing Claude Code at this router through its user settings file ({@code ~/.claude/settings.json},
 * or under {@code $CLAUDE_CONFIG_DIR}), the same way {@code ccr claude enable|disable|status} does.
 *
 * <p>Only the router's keys are touched ({@code env.ANTHROPIC_BASE_URL}, {@code env.ANTHROPIC_AUTH_TOKEN} and the model
 * variables asked for), everything else in the file keeps its bytes, and what was there before is recorded first, so
 * {@code claude/disable} restores it exactly, even after a crash. A value the user changed while routing was on is
 * left as the user set it and reported. A file that is not valid JSON is never changed: the request fails with
 * {@link dev.ccr.protocol.ErrorCodes#CLAUDE_SETTINGS_UNREADABLE}; one that cannot be written fails with
 * {@link dev.ccr.protocol.ErrorCodes#CLAUDE_SETTINGS_WRITE_FAILED}. Each change is followed by
 * {@code status/statusChanged} when the routing state changes.
 */
@JsonSegment("claude")
public interface ClaudeService {
    /**
     * {@code claude/status}: what is set now, which file wins for each key, and which project or managed files override
     * the router's values. Changes nothing. Since 1.0.
     */
    @JsonRequest
    CompletableFuture<ClaudeSettingsResult> status(ClaudeStatusParams params);

    /**
     * {@code claude/enable}: routing on. Writes the router's base URL, a token and the requested model variables into
     * the user settings file. Enabling again (another port, other models) updates them and keeps the original record.
     * Since 1.0.
     */
    @JsonRequest
    CompletableFuture<ClaudeSettingsResult> enable(ClaudeEnableParams params);

    /**
     * {@code claude/disable}: routing off. Restores each key to what it was before {@code claude/enable}, removing the
     * keys that were not there, except keys the user changed since. Does nothing when routing was not enabled by ccr.
     * Since 1.0.
     */
    @JsonRequest
    CompletableFuture<ClaudeSettingsResult> disable(ClaudeDisableParams params);
}
