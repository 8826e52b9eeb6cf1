package dev.ccr.protocol.status;

/**
 * Team mode: whether this router shares its request limits, budgets, circuit breakers and response cache with the other
 * instances of its team through Redis ({@code "shared"} in the config; docs/TEAM.md). Since 1.1.
 *
 * @param store the Redis address, such as {@code redis://10.0.0.5:6379}, never with its password; never null
 * @param shared true while the state is shared; false while this router runs on its own state (Redis unreachable, too
 *     slow or refusing it: each instance then enforces the limits on its own, and the team's state comes back by
 *     itself when Redis does)
 * @param since when the current state began, epoch milliseconds
 * @param lastError why Redis is not used now, written for the user; null while shared
 */
public record SharedStatus(String store, boolean shared, long since, String lastError) {}
