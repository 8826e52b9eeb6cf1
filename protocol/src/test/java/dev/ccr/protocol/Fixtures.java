package dev.ccr.protocol;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.ccr.protocol.config.ConfigProblemsData;
import dev.ccr.protocol.lifecycle.IncompatibleVersionData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.lsp4j.jsonrpc.services.JsonDelegate;
import org.eclipse.lsp4j.jsonrpc.services.JsonNotification;
import org.eclipse.lsp4j.jsonrpc.services.JsonRequest;
import org.eclipse.lsp4j.jsonrpc.services.JsonSegment;

/** The golden fixtures in {@code src/test/resources/fixtures}, and the protocol's methods to check them against. */
final class Fixtures {
    /** The error codes whose {@code data} has a documented type. */
    static final Map<Integer, Class<?>> ERROR_DATA = Map.of(
            ErrorCodes.INCOMPATIBLE_PROTOCOL_VERSION, IncompatibleVersionData.class,
            ErrorCodes.CONFIG_INVALID, ConfigProblemsData.class,
            ErrorCodes.CONFIG_UNREADABLE, ConfigProblemsData.class);

    record Example(String fixture, String name, JsonObject message, JsonObject response) {
        @Override
        public String toString() {
            return fixture + ": " + name;
        }
    }

    record Fixture(String file, String method, String direction, String kind, List<Example> examples) {}

    /** A protocol method: its JSON-RPC name, which side receives it, and the Java method on that side's interface. */
    record RpcMethod(String name, String direction, String kind, Method javaMethod) {}

    private Fixtures() {}

    static Path directory() {
        try {
            return Path.of(Fixtures.class.getResource("/fixtures").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Fixture> all() {
        try (Stream<Path> files = Files.list(directory())) {
            return files.filter(f -> f.toString().endsWith(".json"))
                    .sorted()
                    .map(Fixtures::read)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Example> examples() {
        return all().stream().flatMap(f -> f.examples().stream()).toList();
    }

    static Fixture read(Path file) {
        try {
            JsonObject root = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8))
                    .getAsJsonObject();
            String name = file.getFileName().toString();
            List<Example> examples = new ArrayList<>();
            for (JsonElement e : root.getAsJsonArray("examples")) {
                JsonObject example = e.getAsJsonObject();
                examples.add(new Example(
                        name,
                        example.get("name").getAsString(),
                        example.getAsJsonObject("message"),
                        example.has("response") ? example.getAsJsonObject("response") : null));
            }
            return new Fixture(
                    name,
                    root.get("method").getAsString(),
                    root.get("direction").getAsString(),
                    root.get("kind").getAsString(),
                    examples);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every method of both root interfaces and their segments, by JSON-RPC name. */
    static Map<String, RpcMethod> methods() {
        Map<String, RpcMethod> methods = new LinkedHashMap<>();
        collect(CcrServer.class, "", "toServer", methods);
        collect(CcrClient.class, "", "toEditor", methods);
        return methods;
    }

    private static void collect(Class<?> type, String prefix, String direction, Map<String, RpcMethod> into) {
        for (Method method : type.getMethods()) {
            if (method.isAnnotationPresent(JsonDelegate.class)) {
                Class<?> segment = method.getReturnType();
                collect(segment, segment.getAnnotation(JsonSegment.class).value() + "/", direction, into);
                continue;
            }
            JsonRequest request = method.getAnnotation(JsonRequest.class);
            JsonNotification notification = method.getAnnotation(JsonNotification.class);
            if (request != null) {
                String name = request.value().isEmpty() ? prefix + method.getName() : request.value();
                into.put(name, new RpcMethod(name, direction, "request", method));
            } else if (notification != null) {
                String name = notification.value().isEmpty() ? prefix + method.getName() : notification.value();
                into.put(name, new RpcMethod(name, direction, "notification", method));
            }
        }
    }
}
