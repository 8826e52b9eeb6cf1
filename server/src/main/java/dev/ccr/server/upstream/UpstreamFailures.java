package dev.ccr.server.upstream;

import dev.ccr.server.config.Endpoint;
import dev.ccr.server.error.ApiException;
import dev.ccr.server.error.ErrorType;
import dev.ccr.server.error.Fault;
import dev.ccr.server.resilience.AttemptFailure;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.VertxException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/** Names what went wrong talking to an upstream, in words a user can act on, without leaking credentials. */
public final class UpstreamFailures {
    private UpstreamFailures() {}

    /** The failure for an upstream request that got no answer. */
    public static ApiException noAnswer(Endpoint endpoint, Throwable cause) {
        String where = "endpoint \"" + endpoint.name() + "\" (" + endpoint.baseUrl() + ")";
        Throwable root = rootCause(cause);
        if (isTimeout(cause)) {
            return new ApiException(ErrorType.TIMEOUT, "ccr: " + where + " did not answer in time", cause);
        }
        if (root instanceof UnknownHostException) {
            return new ApiException(
                    ErrorType.BAD_GATEWAY,
                    "ccr: cannot resolve the host of " + where + "; check baseUrl and your network",
                    cause);
        }
        if (root instanceof ConnectException) {
            return new ApiException(
                    ErrorType.BAD_GATEWAY, "ccr: cannot connect to " + where + ": connection refused", cause);
        }
        if (root instanceof SSLException) {
            return new ApiException(
                    ErrorType.BAD_GATEWAY, "ccr: TLS handshake with " + where + " failed: " + root.getMessage(), cause);
        }
        if (root instanceof ClosedChannelException
                || (root instanceof VertxException v && "Connection was closed".equals(v.getMessage()))) {
            return new ApiException(
                    ErrorType.BAD_GATEWAY, "ccr: " + where + " closed the connection without answering", cause);
        }
        return new ApiException(
                ErrorType.BAD_GATEWAY, "ccr: request to " + where + " failed: " + describe(root), cause);
    }

    /**
     * An attempt that got no answer, classified for retrying: a timeout, a connection that was never made (refused, a
     * host that does not resolve: the request certainly never left), or an upstream that could not be reached.
     */
    public static AttemptFailure unanswered(Endpoint endpoint, Throwable cause) {
        ApiException failure = noAnswer(endpoint, cause);
        Throwable root = rootCause(cause);
        Fault fault;
        if (failure.type() == ErrorType.TIMEOUT) {
            fault = Fault.TIMEOUT;
        } else if (root instanceof ConnectException || root instanceof UnknownHostException) {
            fault = Fault.NOT_CONNECTED;
        } else {
            fault = Fault.UNREACHABLE;
        }
        return AttemptFailure.of(fault, failure);
    }

    /** An attempt whose answer broke off (or timed out) before anything reached the client. */
    public static AttemptFailure broken(Endpoint endpoint, Throwable cause) {
        ApiException failure = cutShort(endpoint, cause);
        return AttemptFailure.of(isTimeout(cause) ? Fault.TIMEOUT : Fault.BROKEN, failure);
    }

    /** The failure for an upstream that stopped partway through its answer (or went silent past the idle timeout). */
    public static ApiException cutShort(Endpoint endpoint, Throwable cause) {
        if (cause != null && isTimeout(cause)) {
            return new ApiException(
                    ErrorType.TIMEOUT,
                    "ccr: endpoint \"" + endpoint.name() + "\" went silent mid-answer for longer than"
                            + " timeouts.idleMs",
                    cause);
        }
        String why = cause == null ? "ended the stream" : "failed mid-stream (" + describe(rootCause(cause)) + ")";
        return new ApiException(
                ErrorType.API,
                "ccr: endpoint \"" + endpoint.name() + "\" " + why + " before the message was complete",
                cause);
    }

    /** Whether a failure was a timeout: connecting, or no data for the request's idle timeout. */
    public static boolean isTimeout(Throwable cause) {
        if (cause == null) {
            return false;
        }
        Throwable root = rootCause(cause);
        return root instanceof ConnectTimeoutException
                || root instanceof TimeoutException
                || (root instanceof VertxException v
                        && v.getMessage() != null
                        && v.getMessage().contains("timeout"));
    }

    private static String describe(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static Throwable rootCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
