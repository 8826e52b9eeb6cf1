package dev.ccr.server.config;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A credential clients present to use the router, with a name that logs and stats show instead of the secret. */
@JsonClassDescription("A router access token.")
public record RouterToken(
        @JsonPropertyDescription("Name shown in logs and stats instead of the secret.") String name,
        @JsonPropertyDescription("The secret clients send as x-api-key or 'Authorization: Bearer' (optionally as"
                        + " ccr:<secret>). ${ENV_NAME} reads an environment variable.")
                String token) {

    @Override
    public String toString() {
        return "RouterToken[name=" + name + ", token=***]";
    }
}
