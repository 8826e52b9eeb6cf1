package dev.ccr.server.service;

import java.util.ArrayList;
import java.util.List;

/**
 * How systemd splits {@code ExecStart} (and {@code Environment}) into words, as {@code systemd.service(5)} and
 * {@code systemd.syntax(7)} describe it: whitespace separates, double and single quotes group, backslash escapes, and
 * {@code %%} and {@code $$} stand for {@code %} and {@code $}. Only what ccr's units use.
 */
final class SystemdWords {
    private SystemdWords() {}

    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            if (i >= line.length()) {
                break;
            }
            StringBuilder word = new StringBuilder();
            char quote = 0;
            if (line.charAt(i) == '"' || line.charAt(i) == '\'') {
                quote = line.charAt(i++);
            }
            while (i < line.length()) {
                char c = line.charAt(i);
                if (quote != 0 && c == quote) {
                    i++;
                    break;
                }
                if (quote == 0 && Character.isWhitespace(c)) {
                    break;
                }
                if (c == '\\' && i + 1 < line.length()) {
                    word.append(line.charAt(i + 1));
                    i += 2;
                } else if ((c == '%' || c == '$') && i + 1 < line.length() && line.charAt(i + 1) == c) {
                    word.append(c);
                    i += 2;
                } else {
                    word.append(c);
                    i++;
                }
            }
            words.add(word.toString());
        }
        return words;
    }
}
