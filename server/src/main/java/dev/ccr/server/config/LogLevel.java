package dev.ccr.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The application log's level. */
public enum LogLevel {
    @JsonProperty("error")
    ERROR,
    @JsonProperty("warn")
    WARN,
    @JsonProperty("info")
    INFO,
    @JsonProperty("debug")
    DEBUG,
    @JsonProperty("trace")
    TRACE
}
