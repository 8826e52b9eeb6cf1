package dev.ccr.protocol.json;

import com.google.gson.Gson;
import com.google.gson.TypeAdapter;
import com.google.gson.TypeAdapterFactory;
import com.google.gson.reflect.TypeToken;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes enums as their constant names ({@code "RUNNING"}) and reads them back the same way.
 *
 * <p>LSP4J registers an adapter that writes enums as their ordinal numbers (LSP's numeric enums), which would make the
 * wire depend on declaration order and be unreadable in a log. This factory is registered after LSP4J's and wins over
 * it. A name this build does not know reads as {@code null}, so a newer peer's additional constant degrades to "absent"
 * instead of failing the whole message.
 */
public final class EnumNameTypeAdapterFactory implements TypeAdapterFactory {
    @Override
    public <T> TypeAdapter<T> create(Gson gson, TypeToken<T> type) {
        Class<?> raw = type.getRawType();
        if (!Enum.class.isAssignableFrom(raw) || raw == Enum.class) {
            return null;
        }
        if (!raw.isEnum()) {
            raw = raw.getSuperclass(); // a constant with a body is an anonymous subclass
        }
        @SuppressWarnings({"unchecked", "rawtypes"})
        TypeAdapter<T> adapter = (TypeAdapter<T>) new NameAdapter(raw);
        return adapter;
    }

    private static final class NameAdapter<E extends Enum<E>> extends TypeAdapter<E> {
        private final Map<String, E> byName = new HashMap<>();

        NameAdapter(Class<E> type) {
            for (E constant : type.getEnumConstants()) {
                byName.put(constant.name(), constant);
            }
        }

        @Override
        public void write(JsonWriter out, E value) throws IOException {
            if (value == null) {
                out.nullValue();
            } else {
                out.value(value.name());
            }
        }

        @Override
        public E read(JsonReader in) throws IOException {
            if (in.peek() == JsonToken.NULL) {
                in.nextNull();
                return null;
            }
            return byName.get(in.nextString());
        }
    }
}
