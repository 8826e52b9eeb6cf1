package dev.ccr.server.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonTextEditorTest {
    private static JsonNode tree(String text) throws Exception {
        return Json.MAPPER.readTree(text);
    }

    @Test
    void addsAMemberLikeItsNeighboursAndTakesItOutAgainByteForByte() throws Exception {
        String original = "{\n    \"theme\": \"dark\",\n    \"env\": {\n        \"FOO\": \"1\"\n    }\n}\n";
        JsonTextEditor editor = new JsonTextEditor(original);
        editor.put(List.of("env"), "ANTHROPIC_BASE_URL", TextNode.valueOf("http://127.0.0.1:3456"));
        assertThat(editor.text())
                .isEqualTo("{\n    \"theme\": \"dark\",\n    \"env\": {\n        \"FOO\": \"1\",\n"
                        + "        \"ANTHROPIC_BASE_URL\": \"http://127.0.0.1:3456\"\n    }\n}\n");
        editor.removeMember(List.of("env"), "ANTHROPIC_BASE_URL", "");
        assertThat(editor.text()).isEqualTo(original);
    }

    @Test
    void fillsAnEmptyObjectInTheFilesStyle() throws Exception {
        JsonTextEditor editor = new JsonTextEditor("{\r\n\t\"a\": {}\r\n}");
        editor.put(List.of("a"), "b", tree("{\"c\": [1, 2]}"));
        assertThat(editor.text())
                .isEqualTo("{\r\n\t\"a\": {\r\n\t\t\"b\": {\r\n\t\t\t\"c\": [\r\n\t\t\t\t1,\r\n"
                        + "\t\t\t\t2\r\n\t\t\t]\r\n\t\t}\r\n\t}\r\n}");
        editor.removeMember(List.of("a"), "b", "");
        assertThat(editor.text()).isEqualTo("{\r\n\t\"a\": {}\r\n}");
    }

    @Test
    void keepsACompactObjectCompact() throws Exception {
        JsonTextEditor editor = new JsonTextEditor("{\"a\":1,\"b\":2}");
        editor.putRaw(List.of(), "c", "3");
        assertThat(editor.text()).isEqualTo("{\"a\":1,\"b\":2,\"c\":3}");
        JsonTextEditor spaced = new JsonTextEditor("{\"a\": 1}");
        spaced.putRaw(List.of(), "c", "3");
        assertThat(spaced.text()).isEqualTo("{\"a\": 1, \"c\": 3}");
    }

    @Test
    void replacesOnlyTheValue() throws Exception {
        String original = "{ \"keep\" : 1.50 , \"x\" :  \"old\"  , \"tail\":[ ] }";
        JsonTextEditor editor = new JsonTextEditor(original);
        editor.putRaw(List.of(), "x", "\"new\"");
        assertThat(editor.text()).isEqualTo("{ \"keep\" : 1.50 , \"x\" :  \"new\"  , \"tail\":[ ] }");
    }

    @Test
    void removesTheFirstMemberWithTheSeparatorAfterIt() throws Exception {
        JsonTextEditor editor = new JsonTextEditor("{\n  \"a\": 1,\n  \"b\": 2\n}");
        editor.removeMember(List.of(), "a", "");
        assertThat(editor.text()).isEqualTo("{\n  \"b\": 2\n}");
    }

    @Test
    void createsAnObjectInABlankDocument() throws Exception {
        JsonTextEditor editor = new JsonTextEditor("  \n");
        editor.put(List.of(), "env", tree("{\"K\": \"v\"}"));
        assertThat(editor.text()).isEqualTo("{\n  \"env\": {\n    \"K\": \"v\"\n  }\n}\n");
    }

    @Test
    void appendsAndRemovesArrayElements() throws Exception {
        String original = "{\n  \"endpoints\": [\n    { \"name\": \"a\" }\n  ]\n}\n";
        JsonTextEditor editor = new JsonTextEditor(original);
        editor.append(List.of("endpoints"), tree("{\"name\": \"b\", \"models\": [\"m\"]}"));
        assertThat(editor.text())
                .isEqualTo("{\n  \"endpoints\": [\n    { \"name\": \"a\" },\n    {\n      \"name\": \"b\",\n"
                        + "      \"models\": [\n        \"m\"\n      ]\n    }\n  ]\n}\n");
        editor.removeElement(List.of("endpoints"), 1);
        assertThat(editor.text()).isEqualTo(original);
        editor.removeElement(List.of("endpoints"), 0);
        assertThat(editor.text()).isEqualTo("{\n  \"endpoints\": []\n}\n");
    }

    /** Any document, any layout: adding a member anywhere and removing it again restores the exact text. */
    @Test
    void addingThenRemovingRestoresEveryDocumentExactly() throws Exception {
        Random random = new Random(20260101);
        for (int round = 0; round < 500; round++) {
            String original = RandomJson.document(random);
            JsonTextEditor editor = new JsonTextEditor(original);
            List<List<Object>> objects = new ArrayList<>();
            collectObjects(editor.root().orElseThrow(), new ArrayList<>(), objects);
            List<Object> target = objects.get(random.nextInt(objects.size()));
            String name = "added_" + round;
            JsonNode value = random.nextBoolean() ? TextNode.valueOf("v" + round) : tree("{\"x\": [1, {\"y\": null}]}");

            editor.put(target, name, value);

            JsonNode expected = tree(original);
            JsonNode parent = expected;
            for (Object step : target) {
                parent = step instanceof String s ? parent.get(s) : parent.get((Integer) step);
            }
            ((com.fasterxml.jackson.databind.node.ObjectNode) parent).set(name, value);
            assertThat(tree(editor.text())).as(original).isEqualTo(expected);

            String inner = "";
            JsonText.ObjectValue before = (JsonText.ObjectValue)
                    new JsonTextEditor(original).at(target).orElseThrow();
            if (before.members().isEmpty()) {
                inner = original.substring(before.start() + 1, before.end() - 1);
            }
            editor.removeMember(target, name, inner);
            assertThat(editor.text()).as(original).isEqualTo(original);
        }
    }

    private static void collectObjects(JsonText.Value value, List<Object> path, List<List<Object>> into) {
        if (value instanceof JsonText.ObjectValue object) {
            into.add(List.copyOf(path));
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (int i = object.members().size() - 1; i >= 0; i--) {
                JsonText.Member member = object.members().get(i);
                if (seen.add(member.name())) {
                    path.add(member.name());
                    collectObjects(member.value(), path, into);
                    path.remove(path.size() - 1);
                }
            }
        } else if (value instanceof JsonText.ArrayValue array) {
            for (int i = 0; i < array.elements().size(); i++) {
                path.add(i);
                collectObjects(array.elements().get(i), path, into);
                path.remove(path.size() - 1);
            }
        }
    }
}
