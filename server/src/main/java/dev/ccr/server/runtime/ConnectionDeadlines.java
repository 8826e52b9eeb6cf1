package dev.ccr.server.runtime;

import dev.ccr.server.config.EffectiveConfig;
import dev.ccr.server.error.ErrorResponses;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deadlines of one HTTP/1.x client connection, as a Netty handler between the request decoder and Vert.x. A client
 * that sends nothing, or trickles its bytes, holds a connection (and a file descriptor) for as long as the router lets
 * it; these deadlines bound that without touching requests the router is busy answering:
 *
 * <ul>
 *   <li>headers: from a request's first byte to the end of its headers ({@code headerTimeout}); answered with 408;
 *   <li>body: the longest a request body may take to deliver its next {@value #BODY_PROGRESS_BYTES} bytes ({@code
 *       bodyIdleTimeout}): silence, or a body trickled a few bytes at a time, is cut off;
 *   <li>idle: the longest a connection stays open with no request on it ({@code idleTimeout}).
 * </ul>
 *
 * While an answer is under way (the request is read, its response not yet complete) no deadline runs here: upstream
 * waits are bounded by the upstream timeouts. All methods run on the connection's event loop.
 */
final class ConnectionDeadlines extends ChannelDuplexHandler {
    private static final Logger log = LoggerFactory.getLogger(ConnectionDeadlines.class);

    private enum Waiting {
        NOTHING,
        REQUEST,
        HEADERS,
        BODY
    }

    private final EffectiveConfig.Connections limits;
    private ChannelHandlerContext context;
    private Waiting waiting = Waiting.NOTHING;
    private long deadlineNanos;
    private ScheduledFuture<?> timer;
    private long timerAtNanos;
    /** Requests whose headers arrived and whose response is not complete yet (more than one when pipelined). */
    private int inFlight;

    private boolean bodyPending;
    /** Body bytes since the body deadline was last moved. */
    private long bodyProgress;

    /** How much of a body must arrive to move its deadline: any real upload sends this much in far less time. */
    static final int BODY_PROGRESS_BYTES = 1024;

    ConnectionDeadlines(EffectiveConfig.Connections limits) {
        this.limits = limits;
    }

    /** Sees the connection's raw bytes before they are decoded: where a request's first byte shows. */
    ChannelInboundHandlerAdapter reads() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                bytesArrived(msg instanceof ByteBuf bytes ? bytes.readableBytes() : 0);
                ctx.fireChannelRead(msg);
            }
        };
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
        await(Waiting.REQUEST, limits.idleTimeout().toNanos());
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelTimer();
    }

    private void bytesArrived(int count) {
        if (bodyPending && inFlight == 1) {
            bodyProgress += count;
            if (bodyProgress >= BODY_PROGRESS_BYTES) {
                awaitBody();
            }
        } else if (waiting == Waiting.REQUEST) {
            await(Waiting.HEADERS, limits.headerTimeout().toNanos());
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            inFlight++;
            bodyPending = !(msg instanceof LastHttpContent);
            if (bodyPending && inFlight == 1) {
                awaitBody();
            } else {
                stopWaiting();
            }
        } else if (msg instanceof LastHttpContent && bodyPending) {
            bodyPending = false;
            if (inFlight > 0) {
                stopWaiting();
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof LastHttpContent
                && !(msg instanceof HttpResponse r && r.status().code() < 200)) {
            inFlight = Math.max(0, inFlight - 1);
            if (inFlight == 0) {
                if (bodyPending) {
                    // Answered before the body was read (413, 415): the rest of the body still has a deadline.
                    awaitBody();
                } else {
                    await(Waiting.REQUEST, limits.idleTimeout().toNanos());
                }
            }
        }
        ctx.write(msg, promise);
    }

    private void awaitBody() {
        bodyProgress = 0;
        await(Waiting.BODY, limits.bodyIdleTimeout().toNanos());
    }

    /** The handler's name in the pipeline for {@link #reads()}. */
    static final String READS = "ccrReads";

    private void await(Waiting what, long nanos) {
        waiting = what;
        deadlineNanos = System.nanoTime() + nanos;
        // One timer at a time; a later deadline lets the running timer fire and look again, an earlier one replaces it.
        if (timer == null || timerAtNanos - deadlineNanos > 0) {
            cancelTimer();
            schedule(nanos);
        }
    }

    private void stopWaiting() {
        waiting = Waiting.NOTHING;
        cancelTimer();
    }

    private void schedule(long nanos) {
        timerAtNanos = System.nanoTime() + nanos;
        timer = context.executor().schedule(this::expired, nanos, TimeUnit.NANOSECONDS);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void expired() {
        timer = null;
        if (waiting == Waiting.NOTHING || !context.channel().isActive()) {
            return;
        }
        long left = deadlineNanos - System.nanoTime();
        if (left > 0) {
            schedule(left);
            return;
        }
        switch (waiting) {
            case HEADERS -> {
                log.debug(
                        "closing a connection from {}: request headers not complete within {} ms",
                        context.channel().remoteAddress(),
                        limits.headerTimeout().toMillis());
                answerAndClose(
                        HttpResponseStatus.REQUEST_TIMEOUT,
                        "timeout_error",
                        "ccr: the request headers did not arrive within "
                                + limits.headerTimeout().toMillis() + " ms");
            }
            case BODY -> {
                log.debug(
                        "closing a connection from {}: request body silent for {} ms",
                        context.channel().remoteAddress(),
                        limits.bodyIdleTimeout().toMillis());
                context.close();
            }
            default -> context.close();
        }
    }

    private void answerAndClose(HttpResponseStatus status, String type, String message) {
        byte[] body = ErrorResponses.body(type, message, null).getBytes();
        FullHttpResponse response =
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        // From here towards the socket: through the encoder, around Vert.x, which has no request to answer.
        context.writeAndFlush(response).addListener(done -> context.close());
    }
}
