package dev.ccr.server.config;

/**
 * One thing wrong with a config file, located as precisely as the text allows.
 *
 * @param file the file, or {@code null} for built-in or command-line values
 * @param line 1-based line, or 0 when unknown
 * @param column 1-based column, or 0 when unknown
 * @param path JSONPath-style location such as {@code $.endpoints[1].type}
 * @param message what is wrong and what is allowed
 */
public record ConfigProblem(String file, int line, int column, String path, String message) {

    /** One line in the style of compilers: {@code file:line:column: $.path: message}. */
    public String format() {
        StringBuilder out = new StringBuilder();
        if (file != null) {
            out.append(file);
            if (line > 0) {
                out.append(':').append(line);
                if (column > 0) {
                    out.append(':').append(column);
                }
            }
            out.append(": ");
        }
        if (path != null && !path.isEmpty()) {
            out.append(path).append(": ");
        }
        return out.append(message).toString();
    }
}
