package dev.ccr.server.proxy;

import dev.ccr.server.error.ApiException;
import dev.ccr.server.error.ErrorType;
import dev.ccr.server.error.Fault;
import dev.ccr.server.resilience.AttemptFailure;
import dev.ccr.server.sse.SseParser;
import dev.ccr.server.translate.Dialect;
import dev.ccr.server.translate.SseEvents;
import dev.ccr.server.translate.StreamTranslator;
import dev.ccr.server.translate.TranslationContext;
import dev.ccr.server.translate.Usage;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Another format's event stream translated into Anthropic's as it arrives: each upstream event yields its Anthropic
 * events at once. An error the upstream reports, or a stream that ends before its finish marker, is the failure.
 */
final class TranslatedStream implements StreamDecoder {
    private static final Logger log = LoggerFactory.getLogger(TranslatedStream.class);

    private final SseEvents events = new SseEvents();
    private final ContentWatch watch = new ContentWatch(events);
    private final StreamTranslator translator;
    private final SseParser parser;
    private AttemptFailure failure;

    TranslatedStream(Dialect dialect, TranslationContext context) {
        this.translator = dialect.streamTranslator(watch, context);
        this.parser = new SseParser(translator::accept);
    }

    @Override
    public int status() {
        return 200;
    }

    @Override
    public MultiMap upstreamHeaders() {
        return null;
    }

    @Override
    public void feed(Buffer chunk) {
        try {
            parser.feed(chunk);
        } catch (ApiException reported) {
            // A 502 is an answer that breaks the format's promises; anything else is an error the upstream reported.
            failure = reported.status() == 502
                    ? AttemptFailure.of(Fault.BROKEN, reported)
                    : AttemptFailure.event(reported);
        } catch (RuntimeException bug) {
            log.error("translating the stream failed", bug);
            failure = AttemptFailure.of(
                    Fault.LOCAL,
                    new ApiException(ErrorType.API, "ccr: translating the stream failed; see the router log"));
        }
    }

    @Override
    public Buffer take() {
        return events.hasOutput() ? events.drain() : Buffer.buffer();
    }

    @Override
    public int pending() {
        return events.pending();
    }

    @Override
    public boolean contentStarted() {
        return watch.content();
    }

    @Override
    public boolean complete() {
        return watch.stopped();
    }

    @Override
    public AttemptFailure failure() {
        return failure;
    }

    @Override
    public void end() {
        if (failure != null) {
            return;
        }
        try {
            translator.end();
        } catch (ApiException cutShort) {
            failure = AttemptFailure.of(Fault.BROKEN, cutShort);
        }
    }

    @Override
    public void start() {
        translator.start();
    }

    @Override
    public Usage usage() {
        return translator.usage();
    }

    @Override
    public ErrorType relayedError() {
        return null;
    }
}
