package dev.ccr.server.config;

/**
 * A configured destination: an endpoint and, optionally, the upstream model to ask it for.
 *
 * @param model the upstream model, or {@code null} to map the requested one through the endpoint's modelMap
 */
public record RouteRef(String endpoint, String model) {
    /** Parses {@code "endpoint,model"} or {@code "endpoint"}; returns {@code null} for blank text. */
    public static RouteRef parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        int comma = text.indexOf(',');
        if (comma < 0) {
            return new RouteRef(text.strip(), null);
        }
        String model = text.substring(comma + 1).strip();
        return new RouteRef(text.substring(0, comma).strip(), model.isEmpty() ? null : model);
    }

    @Override
    public String toString() {
        return model == null ? endpoint : endpoint + "," + model;
    }
}
