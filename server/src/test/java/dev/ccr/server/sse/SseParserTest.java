package dev.ccr.server.sse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The event-stream rules (WHATWG HTML §9.2.6), whatever way the network splits the bytes. */
class SseParserTest {
    private static List<SseEvent> parseWhole(String text) {
        List<SseEvent> events = new ArrayList<>();
        new SseParser(events::add).feed(text.getBytes(StandardCharsets.UTF_8));
        return events;
    }

    @Test
    void eventsWithNamesAndData() {
        assertThat(parseWhole("event: message_start\ndata: {\"a\":1}\n\nevent: ping\ndata: {}\n\n"))
                .containsExactly(new SseEvent("message_start", "{\"a\":1}"), new SseEvent("ping", "{}"));
    }

    @Test
    void lineEndingsMayBeLfCrlfOrCr() {
        List<SseEvent> expected = List.of(new SseEvent("e", "1"), new SseEvent(null, "2"));
        assertThat(parseWhole("event: e\ndata: 1\n\ndata: 2\n\n")).isEqualTo(expected);
        assertThat(parseWhole("event: e\r\ndata: 1\r\n\r\ndata: 2\r\n\r\n")).isEqualTo(expected);
        assertThat(parseWhole("event: e\rdata: 1\r\rdata: 2\r\r")).isEqualTo(expected);
    }

    @Test
    void dataLinesJoinWithNewlinesAndOneLeadingSpaceIsDropped() {
        assertThat(parseWhole("data:first\ndata:  second\ndata\n\n"))
                .containsExactly(new SseEvent(null, "first\n second\n"));
    }

    @Test
    void commentsUnknownFieldsAndEmptyBlocksAreIgnored() {
        assertThat(parseWhole(": keep-alive\n\nid: 7\nretry: 100\n\n: x\ndata: d\nfoo: bar\n\n"))
                .containsExactly(new SseEvent(null, "d"));
    }

    @Test
    void anEventCutOffByTheEndOfTheStreamIsNotDispatched() {
        List<SseEvent> events = new ArrayList<>();
        SseParser parser = new SseParser(events::add);
        parser.feed("data: whole\n\ndata: cut".getBytes(StandardCharsets.UTF_8));
        assertThat(events).containsExactly(new SseEvent(null, "whole"));
        assertThat(parser.hasPartialEvent()).isTrue();
        assertThat(parser.completedBytes()).isEqualTo("data: whole\n\n".length());
    }

    @Test
    void aByteOrderMarkAtTheStartIsSkipped() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] rest = "data: x\n\n".getBytes(StandardCharsets.UTF_8);
        byte[] all = Arrays.copyOf(bom, bom.length + rest.length);
        System.arraycopy(rest, 0, all, bom.length, rest.length);
        List<SseEvent> events = new ArrayList<>();
        new SseParser(events::add).feed(all);
        assertThat(events).containsExactly(new SseEvent(null, "x"));
    }

    @Test
    void everySplitOfTheBytesGivesTheSameEventsAndBoundaries() {
        String text =
                "event: message_start\r\ndata: {\"t\":\"h\u00e9llo \ud83d\ude00\"}\r\n\r\n: c\n\nevent: e2\ndata: a\n"
                        + "data: b\n\nevent: e3\rdata: x\r\r";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        List<SseEvent> whole = parseWhole(text);
        assertThat(whole).hasSize(3);
        for (int first = 0; first <= bytes.length; first++) {
            for (int second = first; second <= bytes.length; second += 3) {
                List<SseEvent> events = new ArrayList<>();
                List<Long> boundaries = new ArrayList<>();
                SseParser parser = new SseParser(e -> events.add(e));
                for (byte[] piece : List.of(
                        Arrays.copyOfRange(bytes, 0, first),
                        Arrays.copyOfRange(bytes, first, second),
                        Arrays.copyOfRange(bytes, second, bytes.length))) {
                    parser.feed(piece);
                    boundaries.add(parser.completedBytes());
                }
                assertThat(events).as("split at %d and %d", first, second).isEqualTo(whole);
                assertThat(parser.completedBytes()).isEqualTo(bytes.length);
                // A boundary is always the end of a blank line: what lies before it holds whole frames only.
                for (long boundary : boundaries) {
                    List<SseEvent> prefix = new ArrayList<>();
                    new SseParser(prefix::add).feed(Arrays.copyOf(bytes, (int) boundary));
                    assertThat(whole.subList(0, prefix.size())).isEqualTo(prefix);
                }
            }
        }
    }
}
