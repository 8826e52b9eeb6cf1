package dev.ccr.server.limits;

/** A slot taken under some limits; released exactly once (later calls do nothing), with what the request really used. */
public non-sealed interface Permit extends LimitAdmission {
    /** A permit that holds nothing: for requests no limit applies to. */
    Permit NONE = tokens -> {};

    /**
     * Gives the slot back.
     *
     * @param tokens what the request really used, replacing the estimate it was admitted with; negative to keep the
     *     estimate (nothing better is known)
     */
    void release(long tokens);
}
