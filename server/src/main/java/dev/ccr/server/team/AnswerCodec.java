package dev.ccr.server.team;

import dev.ccr.server.cache.CachedAnswer;
import dev.ccr.server.translate.Usage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A cached answer as stored in Redis: a version byte, flags, where it came from, its usage and its body, the body
 * deflated when that makes it smaller (answers of a kilobyte or more: event streams compress several times over).
 * Anything that does not decode is a miss, never an error: an entry written by another version is simply not used.
 */
final class AnswerCodec {
    private static final int VERSION = 1;
    private static final int STREAM = 1;
    private static final int DEFLATED = 2;
    /** Below this, compressing saves too little to be worth the time. */
    static final int COMPRESS_FROM = 1024;
    /** The largest body a decoder accepts, whatever an entry claims. */
    private static final int MAX_BODY = 256 << 20;

    private AnswerCodec() {}

    static byte[] encode(CachedAnswer answer) {
        byte[] body = answer.body();
        byte[] packed = body.length >= COMPRESS_FROM ? deflate(body) : null;
        boolean deflated = packed != null && packed.length < body.length;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream((deflated ? packed.length : body.length) + 128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeByte((answer.stream() ? STREAM : 0) | (deflated ? DEFLATED : 0));
            writeText(out, answer.endpoint());
            writeText(out, answer.model());
            writeText(out, answer.route());
            Usage usage = answer.usage();
            out.writeLong(usage.input());
            out.writeLong(usage.output());
            out.writeLong(usage.cacheRead());
            out.writeLong(usage.cacheCreation());
            out.writeInt(body.length);
            out.write(deflated ? packed : body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The answer, or {@code null} when the bytes are not an entry this version wrote. */
    static CachedAnswer decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readUnsignedByte() != VERSION) {
                return null;
            }
            int flags = in.readUnsignedByte();
            String endpoint = readText(in);
            String model = readText(in);
            String route = readText(in);
            Usage usage = new Usage(in.readLong(), in.readLong(), in.readLong(), in.readLong());
            int length = in.readInt();
            if (length < 0 || length > MAX_BODY) {
                return null;
            }
            byte[] rest = in.readAllBytes();
            byte[] body = (flags & DEFLATED) != 0 ? inflate(rest, length) : rest;
            if (body == null || body.length != length) {
                return null;
            }
            return new CachedAnswer((flags & STREAM) != 0, body, endpoint, model, route, usage);
        } catch (IOException e) {
            return null;
        }
    }

    private static byte[] deflate(byte[] body) {
        Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
        try {
            deflater.setInput(body);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 3 + 64);
            byte[] chunk = new byte[16 * 1024];
            while (!deflater.finished()) {
                int n = deflater.deflate(chunk);
                out.write(chunk, 0, n);
                if (out.size() >= body.length) {
                    return null; // not getting smaller
                }
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    private static byte[] inflate(byte[] packed, int length) {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(packed);
            byte[] body = new byte[length];
            int at = 0;
            while (at < length && !inflater.finished()) {
                int n = inflater.inflate(body, at, length - at);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return null;
                }
                at += n;
            }
            return at == length ? body : null;
        } catch (DataFormatException e) {
            return null;
        } finally {
            inflater.end();
        }
    }

    private static void writeText(DataOutputStream out, String text) throws IOException {
        out.writeBoolean(text != null);
        if (text != null) {
            out.writeUTF(text);
        }
    }

    private static String readText(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
