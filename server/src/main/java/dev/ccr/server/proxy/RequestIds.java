package dev.ccr.server.proxy;

import java.util.concurrent.ThreadLocalRandom;

/** Request ids in Anthropic's style ({@code req_…}), marked as the router's own. They label, they do not protect. */
public final class RequestIds {
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZabcdefghijkmnopqrstuvwxyz".toCharArray();

    private RequestIds() {}

    public static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] id = new char[8 + 20];
        "req_ccr_".getChars(0, 8, id, 0);
        for (int i = 8; i < id.length; i++) {
            id[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(id);
    }
}
