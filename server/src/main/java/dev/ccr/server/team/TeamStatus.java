package dev.ccr.server.team;

/**
 * Whether this instance shares its state with the team right now.
 *
 * @param store the Redis address, password redacted
 * @param shared true while limits, budgets, breakers and the cache go through Redis; false while this instance runs on
 *     its own state (Redis unreachable, too slow, or refusing it)
 * @param since when the current state began, epoch milliseconds
 * @param lastError why Redis is not used, in words for the user; {@code null} while shared
 * @param fallbacks how many times since the start a piece of shared state (a limit, a cache lookup or entry, a
 *     breaker's news, spend or usage to add) was handled with this instance's own state instead of Redis's: one
 *     request may count several times
 */
public record TeamStatus(String store, boolean shared, long since, String lastError, long fallbacks) {}
