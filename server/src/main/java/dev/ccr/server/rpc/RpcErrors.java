package dev.ccr.server.rpc;

import dev.ccr.protocol.ErrorCodes;
import dev.ccr.protocol.config.ConfigProblemsData;
import dev.ccr.server.claude.ClaudeSettingsException;
import dev.ccr.server.config.ConfigEditException;
import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns what a request failed with into the protocol's error, in one place (see {@link ErrorCodes}). */
final class RpcErrors {
    private static final Logger log = LoggerFactory.getLogger(RpcErrors.class);

    private RpcErrors() {}

    static ResponseErrorException error(int code, String message) {
        return new ResponseErrorException(new ResponseError(code, message, null));
    }

    static ResponseErrorException invalidParams(String message) {
        return error(ErrorCodes.INVALID_PARAMS, message);
    }

    /** The launcher's exception handler: every failed request ends here. */
    static ResponseError toResponseError(Throwable thrown) {
        Throwable failure = unwrap(thrown);
        if (failure instanceof ResponseErrorException e) {
            return e.getResponseError();
        }
        if (failure instanceof ConfigEditException e) {
            return switch (e.kind()) {
                case INVALID ->
                    new ResponseError(
                            ErrorCodes.CONFIG_INVALID,
                            e.getMessage(),
                            new ConfigProblemsData(ConfigViews.problems(e.problems())));
                case UNREADABLE ->
                    new ResponseError(
                            ErrorCodes.CONFIG_UNREADABLE,
                            e.getMessage(),
                            new ConfigProblemsData(ConfigViews.problems(e.problems())));
                case WRITE_FAILED -> new ResponseError(ErrorCodes.CONFIG_WRITE_FAILED, e.getMessage(), null);
                case NO_SUCH_ENDPOINT -> new ResponseError(ErrorCodes.ENDPOINT_NOT_FOUND, e.getMessage(), null);
                case ENDPOINT_EXISTS -> new ResponseError(ErrorCodes.ENDPOINT_EXISTS, e.getMessage(), null);
                case INCOMPLETE -> new ResponseError(ErrorCodes.INVALID_PARAMS, e.getMessage(), null);
            };
        }
        if (failure instanceof ClaudeSettingsException e) {
            int code = e.kind() == ClaudeSettingsException.Kind.UNREADABLE
                    ? ErrorCodes.CLAUDE_SETTINGS_UNREADABLE
                    : ErrorCodes.CLAUDE_SETTINGS_WRITE_FAILED;
            return new ResponseError(code, e.getMessage(), null);
        }
        if (failure instanceof CancellationException) {
            return new ResponseError(ErrorCodes.REQUEST_CANCELLED, "the request was cancelled", null);
        }
        log.error("internal error while answering a request", failure);
        return new ResponseError(
                ErrorCodes.INTERNAL_ERROR,
                "internal error in the ccr server (" + failure.getClass().getSimpleName()
                        + "); its log has the details",
                null);
    }

    static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException
                        || current instanceof ExecutionException
                        || current instanceof InvocationTargetException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
