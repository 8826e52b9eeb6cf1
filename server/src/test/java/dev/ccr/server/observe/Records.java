package dev.ccr.server.observe;

/** Request records for tests that do not need a router. */
final class Records {
    private Records() {}

    static RequestRecord record(
            String id, String endpoint, String model, int status, long durationMillis, long input, long output) {
        return new RequestRecord(
                id,
                System.currentTimeMillis(),
                "session-1",
                "local",
                RequestRecord.MESSAGES,
                model,
                "default",
                endpoint,
                model,
                status,
                status >= 400 ? "api_error" : null,
                true,
                durationMillis / 2,
                durationMillis,
                durationMillis - 1,
                400,
                input,
                output,
                0,
                0,
                1,
                null,
                false,
                null);
    }
}
