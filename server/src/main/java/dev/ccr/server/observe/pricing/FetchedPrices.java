package dev.ccr.server.observe.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccr.server.files.AtomicFiles;
import dev.ccr.server.json.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A price table fetched by {@code ccr pricing update} from LiteLLM's published {@code
 * model_prices_and_context_window.json}, kept in the user's ccr folder ({@value #FILE_NAME}). Between the config's
 * {@code pricing} and the built-in table: fresher than the built-in one, overridden by what the user writes. The
 * built-in table stays the offline default; a missing or damaged file is ignored (and said in the log).
 *
 * <p>Kept in the router's own shape, dollars per million tokens, only for chat models with an input and an output
 * price: {@code {"source", "fetchedAt", "models": {"<id>": {"input", "output", "cacheWrite", "cacheRead"}}}}.
 */
public final class FetchedPrices {
    private static final Logger log = LoggerFactory.getLogger(FetchedPrices.class);
    public static final String FILE_NAME = "prices.json";
    /** Fewer usable models than this is not LiteLLM's table (which lists thousands) but a wrong URL or a broken file. */
    static final int MIN_MODELS = 20;

    private static final double PER_MILLION = 1_000_000.0;

    private final Map<String, ModelPrice> models;

    private FetchedPrices(Map<String, ModelPrice> models) {
        this.models = models;
    }

    /** No fetched table. */
    public static final FetchedPrices NONE = new FetchedPrices(Map.of());

    /** The price of a model id (as {@link PriceBook#canonical} spells it), if the table lists it. */
    Optional<ModelPrice> find(String canonicalId) {
        return Optional.ofNullable(models.get(canonicalId));
    }

    public int size() {
        return models.size();
    }

    /** Reads the file in {@code home}; a missing or unreadable one gives {@link #NONE}. */
    public static FetchedPrices load(Path home) {
        if (home == null) {
            return NONE;
        }
        Path file = home.resolve(FILE_NAME);
        try {
            Optional<byte[]> bytes = AtomicFiles.read(file);
            if (bytes.isEmpty()) {
                return NONE;
            }
            JsonNode root = Json.MAPPER.readTree(bytes.get());
            Map<String, ModelPrice> models = new LinkedHashMap<>();
            root.path("models").fields().forEachRemaining(entry -> {
                JsonNode p = entry.getValue();
                models.put(
                        entry.getKey(),
                        new ModelPrice(
                                p.path("input").asDouble(),
                                p.path("output").asDouble(),
                                p.path("cacheWrite").asDouble(),
                                p.path("cacheRead").asDouble()));
            });
            return new FetchedPrices(Collections.unmodifiableMap(models));
        } catch (IOException | RuntimeException e) {
            log.warn(
                    "ignoring {}: {} (the built-in prices apply; 'ccr pricing update' writes it anew)",
                    file,
                    e.getMessage());
            return NONE;
        }
    }

    /**
     * Converts LiteLLM's table into the router's file, or fails with what is wrong with it. Ids are kept as LiteLLM
     * spells them; {@code provider/model} ids also count under the bare model where no bare entry exists.
     */
    public static ObjectNode fromLiteLlm(JsonNode litellm, String source, String fetchedAt) {
        if (litellm == null || !litellm.isObject()) {
            throw new IllegalArgumentException("it is not a JSON object of models");
        }
        Map<String, ObjectNode> bare = new LinkedHashMap<>();
        Map<String, ObjectNode> prefixed = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = litellm.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> entry = fields.next();
            JsonNode model = entry.getValue();
            String mode = model.path("mode").asText("chat");
            JsonNode input = model.get("input_cost_per_token");
            JsonNode output = model.get("output_cost_per_token");
            if (!mode.equals("chat") || input == null || !input.isNumber() || output == null || !output.isNumber()) {
                continue; // sample_spec, embeddings, images, models without a token price
            }
            double in = input.asDouble() * PER_MILLION;
            double out = output.asDouble() * PER_MILLION;
            if (in < 0 || out < 0 || Double.isNaN(in) || Double.isNaN(out)) {
                continue;
            }
            ObjectNode price = Json.object()
                    .put("input", round(in))
                    .put("output", round(out))
                    .put("cacheWrite", round(cost(model, "cache_creation_input_token_cost", in)))
                    .put("cacheRead", round(cost(model, "cache_read_input_token_cost", in)));
            String id = entry.getKey();
            int slash = id.lastIndexOf('/');
            if (slash < 0) {
                bare.put(id, price);
            } else {
                prefixed.putIfAbsent(id.substring(slash + 1), price);
            }
        }
        prefixed.forEach(bare::putIfAbsent);
        if (bare.size() < MIN_MODELS) {
            throw new IllegalArgumentException("it lists only " + bare.size() + " models with token prices");
        }
        ObjectNode root = Json.object().put("source", source).put("fetchedAt", fetchedAt);
        ObjectNode models = root.putObject("models");
        bare.forEach(models::set);
        return root;
    }

    private static double cost(JsonNode model, String field, double otherwise) {
        JsonNode value = model.get(field);
        return value != null && value.isNumber() ? value.asDouble() * PER_MILLION : otherwise;
    }

    private static double round(double perMillion) {
        return Math.round(perMillion * 1_000_000) / 1_000_000.0;
    }
}
