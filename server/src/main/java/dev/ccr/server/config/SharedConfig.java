package dev.ccr.server.config;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Team mode as written: the Redis that instances share state through (docs/TEAM.md). */
@JsonClassDescription("Team mode: several ccr instances (behind one load balancer) share request and token limits,"
        + " concurrency, daily budgets, circuit breakers, busy marks and the response cache through one Redis. Without"
        + " it each instance keeps its own. When Redis is unreachable each instance goes on with its own state and"
        + " returns to the shared state when Redis is back. See docs/TEAM.md.")
public record SharedConfig(
        @JsonPropertyDescription("redis://[user:password@]host:port[/db], or rediss:// for TLS. ${ENV_NAME} reads an"
                        + " environment variable (keep the password in one); characters such as @ : / in a literal"
                        + " password are written %-encoded.")
                String redis,
        @JsonPropertyDescription("Prefix of every Redis key and channel ccr uses (default \"ccr:\"); instances with the"
                        + " same prefix share state, so one Redis can serve several teams.")
                String keyPrefix,
        @JsonPropertyDescription("The longest one Redis call may take, in milliseconds (default 10); past it the"
                        + " request goes on with this instance's own state, so a slow Redis never holds a request.")
                Integer timeoutMs,
        @JsonPropertyDescription("For rediss:// with a private certificate authority: a PEM file of the authority"
                        + " (default: the certificate authorities Java trusts).")
                String caFile) {

    @Override
    public String toString() {
        // Records print every component; a password written in the URL must never reach a log.
        return "SharedConfig[redis=" + (redis == null ? "none" : "***") + ", keyPrefix=" + keyPrefix + ", timeoutMs="
                + timeoutMs + ", caFile=" + caFile + "]";
    }
}
