package dev.ccr.protocol.config;

/**
 * One thing wrong with config text, located as precisely as the text allows.
 *
 * @param file the file, or null for built-in or command-line values and for text passed to {@code config/validate}
 * @param line 1-based line, or 0 when unknown
 * @param column 1-based column, or 0 when unknown
 * @param path the JSONPath of the value, such as {@code $.endpoints[1].type}; null when the problem is the whole text
 * @param message what is wrong and what is allowed there; never null
 */
public record ConfigProblemInfo(String file, int line, int column, String path, String message) {}
