package dev.ccr.server.translate;

import java.util.concurrent.ThreadLocalRandom;

/** Ids in Anthropic's style for what the router makes up: messages, and tool calls an upstream left unnamed. */
public final class Ids {
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZabcdefghijkmnopqrstuvwxyz".toCharArray();

    private Ids() {}

    public static String message() {
        return random("msg_ccr_");
    }

    public static String toolUse() {
        return random("toolu_ccr_");
    }

    private static String random(String prefix) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder id = new StringBuilder(prefix.length() + 22).append(prefix);
        for (int i = 0; i < 22; i++) {
            id.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return id.toString();
    }
}
