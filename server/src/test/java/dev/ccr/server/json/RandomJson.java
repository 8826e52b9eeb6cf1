package dev.ccr.server.json;

import java.util.Random;

/** Random JSON documents in random layouts (indentation, spacing, line endings, escapes), for property tests. */
public final class RandomJson {
    private static final String[] INDENTS = {"  ", "    ", "\t", " "};
    private static final String[] COLONS = {": ", ":", " : ", ":  "};

    private RandomJson() {}

    /** A document whose root is an object. */
    public static String document(Random random) {
        Layout layout = new Layout(
                random.nextInt(4) == 0 ? null : INDENTS[random.nextInt(INDENTS.length)],
                COLONS[random.nextInt(COLONS.length)],
                random.nextInt(5) == 0 ? "\r\n" : "\n");
        StringBuilder out = new StringBuilder();
        if (random.nextInt(8) == 0) {
            out.append(layout.newline);
        }
        object(random, layout, "", 0, out);
        if (random.nextBoolean()) {
            out.append(layout.newline);
        }
        return out.toString();
    }

    private record Layout(String indent, String colon, String newline) {}

    private static void object(Random random, Layout layout, String indent, int depth, StringBuilder out) {
        int size = depth > 3 ? 0 : random.nextInt(5);
        if (size == 0) {
            out.append(random.nextInt(4) == 0 ? "{ }" : "{}");
            return;
        }
        String inner = layout.indent == null ? "" : indent + layout.indent;
        out.append('{');
        for (int i = 0; i < size; i++) {
            out.append(layout.indent == null ? (i == 0 ? "" : " ") : layout.newline + inner);
            out.append(string(random, "k" + i)).append(layout.colon);
            value(random, layout, inner, depth + 1, out);
            if (i < size - 1) {
                out.append(',');
            }
        }
        out.append(layout.indent == null ? "" : layout.newline + indent).append('}');
    }

    private static void value(Random random, Layout layout, String indent, int depth, StringBuilder out) {
        switch (random.nextInt(depth > 3 ? 4 : 6)) {
            case 0 -> out.append(string(random, "s"));
            case 1 -> out.append(new String[] {"0", "-12", "1.50", "2e10", "1E-3"}[random.nextInt(5)]);
            case 2 -> out.append(new String[] {"true", "false", "null"}[random.nextInt(3)]);
            case 3 -> out.append(random.nextBoolean() ? "[]" : "[1, \"two\"]");
            default -> object(random, layout, indent, depth, out);
        }
    }

    private static String string(Random random, String base) {
        return switch (random.nextInt(4)) {
            case 0 -> "\"" + base + "\\u00e9\"";
            case 1 -> "\"" + base + " \\\"quoted\\\" \\/ é\"";
            default -> "\"" + base + "\"";
        };
    }
}
