package dev.ccr.server.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccr.server.json.Json;
import org.junit.jupiter.api.Test;

class SchemaCleanerTest {
    private static JsonNode json(String text) throws Exception {
        return Json.MAPPER.readTree(text.replace('\'', '"'));
    }

    @Test
    void rewritesWhatGeminiRejects() throws Exception {
        JsonNode schema = json(
                """
                {'$schema': 'http://json-schema.org/draft-07/schema#', 'type': 'object', 'additionalProperties': false,
                 'properties': {
                   'url': {'type': 'string', 'format': 'uri'},
                   'when': {'type': 'string', 'format': 'date-time'},
                   'mode': {'const': 'fast'},
                   'note': {'type': ['string', 'null'], 'exclusiveMinimum': 3},
                   'item': {'$ref': '#/$defs/Item', 'description': 'the item'},
                   'either': {'anyOf': [{'type': 'integer'}, {'type': 'null'}]},
                   'properties': {'type': 'object', 'properties': {}}
                 },
                 'required': ['url', 'missing'],
                 '$defs': {'Item': {'type': 'object', 'properties': {'id': {'type': 'integer', 'format': 'int64'}}}}}
                """);
        assertThat(SchemaCleaner.parameters(schema))
                .isEqualTo(
                        json(
                                """
                {'type': 'object',
                 'properties': {
                   'url': {'type': 'string'},
                   'when': {'type': 'string', 'format': 'date-time'},
                   'mode': {'enum': ['fast']},
                   'note': {'type': 'string', 'nullable': true},
                   'item': {'type': 'object', 'properties': {'id': {'type': 'integer', 'format': 'int64'}},
                            'description': 'the item'},
                   'either': {'nullable': true, 'type': 'integer'},
                   'properties': {'type': 'object'}
                 },
                 'required': ['url']}
                """));
    }

    @Test
    void anObjectWithoutPropertiesDeclaresNoParameters() throws Exception {
        assertThat(SchemaCleaner.parameters(
                        json("{'type': 'object', 'properties': {}, 'additionalProperties': false}")))
                .isNull();
    }

    @Test
    void aSelfReferenceStopsExpanding() throws Exception {
        JsonNode schema = json("{'type': 'object', 'properties': {'next': {'$ref': '#'}}}");
        JsonNode cleaned = SchemaCleaner.parameters(schema);
        assertThat(cleaned.toString()).hasSizeLessThan(2_000);
        assertThat(cleaned.at("/properties/next/properties/next/type").asText()).isEqualTo("object");
    }
}
