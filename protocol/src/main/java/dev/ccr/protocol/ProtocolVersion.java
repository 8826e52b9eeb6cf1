package dev.ccr.protocol;

/**
 * The version of this protocol, exchanged in {@code initialize}. A {@code MAJOR.MINOR} string: the minor version grows
 * with additive changes (new methods, new optional fields, new enum constants), which both sides tolerate because they
 * ignore what they do not know and check capability flags before using what is new. The major version grows only with
 * a breaking change, which this project avoids by giving a changed method a new name; a server refuses a client whose
 * major version differs from its own.
 */
public final class ProtocolVersion {
    /** Incompatible changes only; see {@code docs/PROTOCOL.md}. */
    public static final int MAJOR = 1;

    /** Additive changes since the major version. */
    public static final int MINOR = 1;

    /** The version this build speaks, such as {@code "1.1"}. */
    public static final String CURRENT = MAJOR + "." + MINOR;

    private ProtocolVersion() {}

    /**
     * The major version of a {@code MAJOR.MINOR} string, or -1 when the text is not such a version.
     *
     * @param version what a peer sent; may be {@code null}
     */
    public static int majorOf(String version) {
        if (version == null) {
            return -1;
        }
        String major = version.strip();
        int dot = major.indexOf('.');
        if (dot >= 0) {
            major = major.substring(0, dot);
        }
        try {
            int value = Integer.parseInt(major);
            return value >= 0 ? value : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Whether a peer speaking {@code version} can talk to this build. */
    public static boolean isCompatible(String version) {
        return majorOf(version) == MAJOR;
    }
}
