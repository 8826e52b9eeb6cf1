package dev.ccr.server.cache;

/** A request's identity for the response cache: a 128-bit hash of what makes its answer what it is. */
public record CacheKey(long high, long low) {
    @Override
    public String toString() {
        return String.format("%016x%016x", high, low);
    }
}
