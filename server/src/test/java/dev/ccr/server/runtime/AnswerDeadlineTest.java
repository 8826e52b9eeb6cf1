package dev.ccr.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccr.server.config.ConfigHolder;
import dev.ccr.server.config.ConfigLoader;
import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.config.Overrides;
import dev.ccr.server.config.WireFormat;
import dev.ccr.server.observe.Observability;
import dev.ccr.server.observe.RequestListeners;
import dev.ccr.server.observe.http.StatsApi;
import dev.ccr.server.proxy.Attempt;
import dev.ccr.server.proxy.Forwarder;
import dev.ccr.server.proxy.InFlight;
import dev.ccr.server.proxy.Operation;
import dev.ccr.server.proxy.RouterHttp;
import dev.ccr.server.proxy.WireCodec;
import dev.ccr.server.routing.RouteResolver;
import dev.ccr.server.testing.Http;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** No request is left without an answer, even when something inside the router drops it. */
class AnswerDeadlineTest {
    @Test
    void aRequestThatNothingAnswersGets504AtTheDeadline() throws Exception {
        EffectiveConfig config = new ConfigLoader(name -> null)
                .parse(
                        """
                        {"endpoints": [{"name": "a", "type": "anthropic", "baseUrl": "http://127.0.0.1:9/v1",
                                        "apiKey": "sk-0123456789"}],
                         "timeouts": {"connectMs": 100, "firstByteMs": 200, "idleMs": 200},
                         "retry": {"maxAttempts": 1}}
                        """
                                .getBytes(StandardCharsets.UTF_8),
                        Path.of("config.json"),
                        new Overrides(0, null, false))
                .config();
        Vertx vertx = Vertx.vertx();
        // A forwarder with a bug: it takes the request and never answers.
        WireCodec neverAnswers = new WireCodec() {
            @Override
            public boolean callsUpstream(Operation operation) {
                return true;
            }

            @Override
            public Future<WholeAnswer> answerLocally(Attempt attempt) {
                return Promise.<WholeAnswer>promise().future();
            }

            @Override
            public Future<Call> prepare(Attempt attempt) {
                return Promise.<Call>promise().future();
            }
        };
        Forwarder dropsEverything = new Forwarder(vertx, null, neverAnswers);
        Observability observability = new Observability(config, null, Clock.systemUTC());
        try {
            ResilienceStack resilience = new ResilienceStack(
                    vertx,
                    config,
                    Map.of(
                            WireFormat.ANTHROPIC,
                            dropsEverything,
                            WireFormat.OPENAI,
                            dropsEverything,
                            WireFormat.GEMINI,
                            dropsEverything),
                    Clock.systemUTC());
            resilience.start(config, observability);
            RequestListeners listeners = new RequestListeners();
            listeners.add(observability);
            HttpServer server = vertx.createHttpServer()
                    .requestHandler(RouterHttp.create(
                            vertx,
                            new ConfigHolder(config),
                            new RouteResolver(),
                            resilience.dispatcher(),
                            resilience.caching(),
                            listeners,
                            () -> "{}",
                            new StatsApi(observability, observability.metrics()),
                            null, // no /v1/models here
                            new InFlight()))
                    .listen(0, "127.0.0.1")
                    .await();

            long started = System.nanoTime();
            HttpResponse<String> response = Http.post(
                    "http://127.0.0.1:" + server.actualPort() + "/v1/messages",
                    "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[]}",
                    Map.of());
            long tookMillis = (System.nanoTime() - started) / 1_000_000;

            assertThat(response.statusCode()).isEqualTo(504);
            assertThat(response.body()).contains("timeout_error").contains("no answer within");
            assertThat(tookMillis).isBetween(2_000L, 15_000L);
        } finally {
            vertx.close().await();
            observability.close();
        }
    }
}
