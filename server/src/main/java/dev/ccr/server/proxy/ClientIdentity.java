package dev.ccr.server.proxy;

/**
 * Who sent a request, as far as the router is concerned.
 *
 * @param tokenName the router token the client presented, or {@code null} when none is configured or matched
 * @param clientKey the client's own upstream credential (with any {@code ccr:} prefix removed), forwarded to
 *     Anthropic endpoints that have no key of their own; {@code null} when there is none
 * @param clientKeyAsBearer whether that credential goes upstream as {@code Authorization: Bearer} (OAuth tokens)
 *     rather than {@code x-api-key}
 */
public record ClientIdentity(String tokenName, String clientKey, boolean clientKeyAsBearer) {

    /** The name logs and stats show for this client; never a secret. */
    public String displayName() {
        return tokenName != null ? tokenName : "local";
    }

    @Override
    public String toString() {
        return "ClientIdentity[token=" + tokenName + ", clientKey=" + (clientKey == null ? "none" : "***") + "]";
    }
}
