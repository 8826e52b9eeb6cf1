package dev.ccr.server.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonTextTest {
    @Test
    void valuesKnowTheirExactSource() throws Exception {
        String text = "{\n  \"a\" : \"x\\u0041\",\n  \"b\": [1, -2.5e3, true, null]\n}";
        JsonText.ObjectValue root = (JsonText.ObjectValue) JsonText.parse(text).orElseThrow();
        JsonText.Member a = root.member("a").orElseThrow();
        assertThat(text.substring(a.nameStart(), a.nameEnd())).isEqualTo("\"a\"");
        assertThat(text.substring(a.value().start(), a.value().end())).isEqualTo("\"x\\u0041\"");
        assertThat(((JsonText.ScalarValue) a.value()).string()).isEqualTo("xA");
        JsonText.ArrayValue b =
                (JsonText.ArrayValue) root.member("b").orElseThrow().value();
        assertThat(b.elements())
                .extracting(v -> text.substring(v.start(), v.end()))
                .containsExactly("1", "-2.5e3", "true", "null");
    }

    @Test
    void duplicateNamesResolveToTheLastLikeJsonParse() throws Exception {
        JsonText.ObjectValue root =
                (JsonText.ObjectValue) JsonText.parse("{\"k\": 1, \"k\": 2}").orElseThrow();
        assertThat(root.count("k")).isEqualTo(2);
        assertThat(root.member("k").orElseThrow().value().start()).isEqualTo(14);
    }

    @Test
    void blankTextHasNoValue() throws Exception {
        assertThat(JsonText.parse("")).isEmpty();
        assertThat(JsonText.parse(" \r\n\t")).isEmpty();
        assertThat(JsonText.parse("\uFEFF\n")).isEmpty();
        assertThat(JsonText.parse("\uFEFF{}")).map(JsonText.Value::start).isEqualTo(Optional.of(1));
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("{\"a\": 1,}", "1:9", "expected a member name in double quotes, found '}'"),
                Arguments.of(
                        "{\"a\": 1 // note\n}",
                        "1:9",
                        "expected ',' or '}' after a member, found a comment (JSON has none)"),
                Arguments.of("{a: 1}", "1:2", "expected a member name in double quotes, found 'a'"),
                Arguments.of("[1, 2", "1:6", "expected ',' or ']' after an element, found the end of the text"),
                Arguments.of("{\"a\": 01}", "1:8", "expected ',' or '}' after a member, found '1'"),
                Arguments.of("{\"a\": \"x\ty\"}", "1:9", "a control character must be escaped inside a string"),
                Arguments.of("{} {}", "1:4", "unexpected '{' after the end of the JSON value"),
                Arguments.of("{\"a\": tru}", "1:7", "expected a value, found 't'"),
                Arguments.of("{\n  \"a\": 1\n  \"b\": 2\n}", "3:3", "expected ',' or '}' after a member, found '\"'"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void rejectsWhatJsonParseRejects(String text, String at, String reason) {
        JsonText.SyntaxException e = catchThrowableOfType(JsonText.SyntaxException.class, () -> JsonText.parse(text));
        assertThat(e).isNotNull();
        assertThat(e.line() + ":" + e.column()).isEqualTo(at);
        assertThat(e.reason()).isEqualTo(reason);
    }

    @Test
    void refusesAbsurdNesting() {
        String deep = "[".repeat(600) + "]".repeat(600);
        assertThat(catchThrowableOfType(JsonText.SyntaxException.class, () -> JsonText.parse(deep))
                        .reason())
                .contains("nested more than 512 levels");
    }
}
