package dev.ccr.protocol;

/**
 * Every error code a ccr request can fail with, in one place. The JSON-RPC codes are produced by LSP4J itself; the
 * others by the ccr server, each with a message written for the user and, where noted, structured {@code data}.
 *
 * <p>ccr's own codes sit in the range JSON-RPC leaves to implementations (-32099 to -32000), below the two LSP uses
 * there, so an LSP-aware client's handling of those stays correct.
 */
public final class ErrorCodes {
    /** JSON-RPC: the message was not valid JSON. */
    public static final int PARSE_ERROR = -32700;

    /** JSON-RPC: the message was not a valid request. */
    public static final int INVALID_REQUEST = -32600;

    /** JSON-RPC: no such method; a newer client calling a method this server does not have yet. */
    public static final int METHOD_NOT_FOUND = -32601;

    /** JSON-RPC: the params are missing something required or hold a value that is not allowed. */
    public static final int INVALID_PARAMS = -32602;

    /** JSON-RPC: a bug in the server; the message says where to find the log. */
    public static final int INTERNAL_ERROR = -32603;

    /** A request other than {@code initialize} arrived before {@code initialize} (same code as LSP). */
    public static final int SERVER_NOT_INITIALIZED = -32002;

    /** The request was cancelled with {@code $/cancelRequest} (same code as LSP). */
    public static final int REQUEST_CANCELLED = -32800;

    /**
     * {@code initialize}: the client speaks a protocol major version this server does not. {@code data} is an
     * {@link dev.ccr.protocol.lifecycle.IncompatibleVersionData}.
     */
    public static final int INCOMPATIBLE_PROTOCOL_VERSION = -32010;

    /** A request arrived after {@code shutdown}. */
    public static final int SHUTTING_DOWN = -32011;

    /**
     * A config change would leave the config invalid, so nothing was written. {@code data} is a
     * {@link dev.ccr.protocol.config.ConfigProblemsData} listing every problem with its line, column and JSON path.
     */
    public static final int CONFIG_INVALID = -32020;

    /**
     * The config file on disk cannot be edited: it is not valid JSON or not a JSON object. Nothing was written; the user
     * has to fix the file first. {@code data} is a {@link dev.ccr.protocol.config.ConfigProblemsData}.
     */
    public static final int CONFIG_UNREADABLE = -32021;

    /** The config file could not be written (permissions, disk full); the message names the file and the reason. */
    public static final int CONFIG_WRITE_FAILED = -32022;

    /** The request names an endpoint the config does not have. */
    public static final int ENDPOINT_NOT_FOUND = -32023;

    /** {@code config/addEndpoint}: an endpoint with that name exists already. */
    public static final int ENDPOINT_EXISTS = -32024;

    /**
     * A Claude Code settings file cannot be changed safely: it is not valid JSON, its {@code env} is not an object, or
     * it names one of our keys twice. The file was left untouched; the message says where and what to fix.
     */
    public static final int CLAUDE_SETTINGS_UNREADABLE = -32030;

    /** A Claude Code settings file or the journal could not be written; the message names the file and the reason. */
    public static final int CLAUDE_SETTINGS_WRITE_FAILED = -32031;

    private ErrorCodes() {}
}
