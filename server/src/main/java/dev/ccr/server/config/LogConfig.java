package dev.ccr.server.config;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The request log and the usage history, as written in the config file. */
@JsonClassDescription("Request log (JSON lines under ~/.claude-code-router/logs/) and usage history (usage.db).")
public record LogConfig(
        @JsonPropertyDescription("Write one JSON line per request to logs/requests-<port>.jsonl (default true).")
                Boolean requests,
        @JsonPropertyDescription("Also log request and response bodies, with keys, tokens and auth headers redacted"
                        + " (default false; --debug turns it on). Bodies hold your prompts and code.")
                Boolean bodies,
        @JsonPropertyDescription("How much of each body to log, in KiB (default 64).") Integer maxBodyKB,
        @JsonPropertyDescription("Start a new request log file when the current one reaches this size, in MiB"
                        + " (default 20). A new file is also started every day.")
                Integer maxFileMB,
        @JsonPropertyDescription("Delete old request log files after this many days (default 14).")
                Integer retentionDays,
        @JsonPropertyDescription("Keep at most this many old request log files (default 20).") Integer maxFiles,
        @JsonPropertyDescription("Keep each request's usage row in usage.db for this many days (default 90); daily"
                        + " totals per endpoint, model and token are kept for two years.")
                Integer usageRetentionDays) {}
