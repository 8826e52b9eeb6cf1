package dev.ccr.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import dev.ccr.protocol.Fixtures.Example;
import dev.ccr.protocol.Fixtures.Fixture;
import dev.ccr.protocol.Fixtures.RpcMethod;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.eclipse.lsp4j.jsonrpc.json.MessageJsonHandler;
import org.eclipse.lsp4j.jsonrpc.messages.Message;
import org.eclipse.lsp4j.jsonrpc.messages.NotificationMessage;
import org.eclipse.lsp4j.jsonrpc.messages.RequestMessage;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The golden fixtures are complete, and say exactly what the Java side reads and writes. */
class FixturesTest {
    @Test
    void everyMethodHasAFixtureAndEveryFixtureAMethod() {
        Map<String, RpcMethod> methods = Fixtures.methods();
        List<Fixture> fixtures = Fixtures.all();
        assertThat(fixtures.stream().map(Fixture::method)).containsExactlyInAnyOrderElementsOf(methods.keySet());
        for (Fixture fixture : fixtures) {
            RpcMethod method = methods.get(fixture.method());
            assertThat(fixture.file()).isEqualTo(fixture.method().replace('/', '.') + ".json");
            assertThat(fixture.direction()).as(fixture.file()).isEqualTo(method.direction());
            assertThat(fixture.kind()).as(fixture.file()).isEqualTo(method.kind());
            assertThat(fixture.examples()).as(fixture.file()).isNotEmpty();
            for (Example example : fixture.examples()) {
                assertThat(example.message().get("method").getAsString()).isEqualTo(fixture.method());
                assertThat(example.response() != null)
                        .as(example + " has a response exactly when it is a request")
                        .isEqualTo(method.kind().equals("request"));
            }
        }
    }

    static List<Example> examples() {
        return Fixtures.examples();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void messagesReadIntoTheRecordsAndWriteBackUnchanged(Example example) {
        MessageJsonHandler handler = handlerFor(example);
        assertThat(rewritten(handler, example.message())).isEqualTo(example.message());
        if (example.response() != null) {
            assertThat(rewritten(handler, example.response())).isEqualTo(example.response());
            ResponseMessage response =
                    (ResponseMessage) handler.parseMessage(example.response().toString());
            if (response.getError() != null && response.getError().getData() != null) {
                Class<?> type = Fixtures.ERROR_DATA.get(response.getError().getCode());
                assertThat(type)
                        .as(
                                "error code %s documents its data type",
                                response.getError().getCode())
                        .isNotNull();
                Gson gson = handler.getGson();
                JsonElement data = (JsonElement) response.getError().getData();
                assertThat(gson.toJsonTree(gson.fromJson(data, type))).isEqualTo(data);
            }
        }
    }

    @Test
    void everyFieldOfEveryRecordAppearsInSomeFixture() {
        Set<String> expected = new TreeSet<>();
        for (RpcMethod method : Fixtures.methods().values()) {
            for (Type parameter : method.javaMethod().getGenericParameterTypes()) {
                fieldsOf(parameter, expected, new LinkedHashSet<>());
            }
            Type returned = method.javaMethod().getGenericReturnType();
            if (returned instanceof ParameterizedType future && future.getRawType() == CompletableFuture.class) {
                fieldsOf(future.getActualTypeArguments()[0], expected, new LinkedHashSet<>());
            }
        }
        Fixtures.ERROR_DATA.values().forEach(type -> fieldsOf(type, expected, new LinkedHashSet<>()));

        Set<String> seen = new TreeSet<>();
        for (Example example : Fixtures.examples()) {
            MessageJsonHandler handler = handlerFor(example);
            Message message = handler.parseMessage(example.message().toString());
            if (message instanceof RequestMessage request) {
                fieldsSet(request.getParams(), seen);
            } else if (message instanceof NotificationMessage notification) {
                fieldsSet(notification.getParams(), seen);
            }
            if (example.response() != null) {
                ResponseMessage response = (ResponseMessage)
                        handler.parseMessage(example.response().toString());
                fieldsSet(response.getResult(), seen);
                if (response.getError() != null && response.getError().getData() instanceof JsonElement data) {
                    Class<?> type = Fixtures.ERROR_DATA.get(response.getError().getCode());
                    fieldsSet(handler.getGson().fromJson(data, type), seen);
                }
            }
        }
        assertThat(expected.stream().filter(f -> !seen.contains(f)).collect(Collectors.toList()))
                .as("record fields that no fixture shows with a value")
                .isEmpty();
    }

    private static MessageJsonHandler handlerFor(Example example) {
        MessageJsonHandler handler = CcrLauncher.messageJsonHandler();
        String method = example.message().get("method").getAsString();
        handler.setMethodProvider(id -> method);
        return handler;
    }

    private static JsonElement rewritten(MessageJsonHandler handler, JsonElement json) {
        return JsonParser.parseString(handler.serialize(handler.parseMessage(json.toString())));
    }

    /** The fields reachable from a type: {@code Record.field} for every record component. */
    private static void fieldsOf(Type type, Set<String> into, Set<Type> visited) {
        if (!visited.add(type)) {
            return;
        }
        if (type instanceof ParameterizedType parameterized) {
            for (Type argument : parameterized.getActualTypeArguments()) {
                fieldsOf(argument, into, visited);
            }
        } else if (type instanceof Class<?> c && c.isRecord()) {
            for (RecordComponent component : c.getRecordComponents()) {
                into.add(c.getSimpleName() + "." + component.getName());
                fieldsOf(component.getGenericType(), into, visited);
            }
        }
    }

    /** The fields that hold a value in an object read from a fixture. */
    private static void fieldsSet(Object value, Set<String> into) {
        if (value instanceof List<?> list) {
            list.forEach(v -> fieldsSet(v, into));
        } else if (value instanceof Map<?, ?> map) {
            map.values().forEach(v -> fieldsSet(v, into));
        } else if (value != null && value.getClass().isRecord()) {
            for (RecordComponent component : value.getClass().getRecordComponents()) {
                try {
                    Object field = component.getAccessor().invoke(value);
                    if (field != null) {
                        into.add(value.getClass().getSimpleName() + "." + component.getName());
                        fieldsSet(field, into);
                    }
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }
}
