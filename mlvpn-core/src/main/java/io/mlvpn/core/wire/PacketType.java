package io.mlvpn.core.wire;

/** Packet type numbers of protocol version 2 (the low nibble of header byte 0). */
public final class PacketType {
    /** Client's handshake offer, HMAC-protected. */
    public static final int HANDSHAKE_INIT = 1;
    /** Server's handshake answer, HMAC-protected. */
    public static final int HANDSHAKE_RESPONSE = 2;
    /** Server's refusal (cipher mismatch, stale offer), HMAC-protected and bound to the INIT's offer. */
    public static final int HANDSHAKE_REJECT = 3;
    /** One inner packet, sealed. */
    public static final int DATA = 4;
    /** Keepalive carrying a receive report, sealed. */
    public static final int KEEPALIVE = 5;
    /** The sender closes the link, sealed. */
    public static final int DISCONNECT = 6;
    /**
     * One inner TCP or UDP packet whose transport checksum is partial (the pseudo-header sum, as
     * Linux's {@code CHECKSUM_PARTIAL} leaves it), sealed; the receiver completes it, or lets its
     * device do so. See docs/protocol.md, section 3.
     */
    public static final int DATA_PARTIAL_CHECKSUM = 7;
    /**
     * Server's answer to an INIT while under handshake load: a cookie, sealed under a key derived
     * from the pre-shared key and bound to the INIT's offer (docs/protocol.md, section 5).
     */
    public static final int HANDSHAKE_COOKIE = 8;

    private PacketType() {
    }

    /** True for the types this version knows. */
    public static boolean isKnown(int type) {
        return type >= HANDSHAKE_INIT && type <= HANDSHAKE_COOKIE;
    }

    /** True for the handshake types, which are not sealed under a session. */
    public static boolean isHandshake(int type) {
        return type >= HANDSHAKE_INIT && type <= HANDSHAKE_REJECT || type == HANDSHAKE_COOKIE;
    }

    /** A short name for logs. */
    public static String name(int type) {
        switch (type) {
            case HANDSHAKE_INIT:
                return "HANDSHAKE_INIT";
            case HANDSHAKE_RESPONSE:
                return "HANDSHAKE_RESPONSE";
            case HANDSHAKE_REJECT:
                return "HANDSHAKE_REJECT";
            case DATA:
                return "DATA";
            case KEEPALIVE:
                return "KEEPALIVE";
            case DISCONNECT:
                return "DISCONNECT";
            case DATA_PARTIAL_CHECKSUM:
                return "DATA_PARTIAL_CHECKSUM";
            case HANDSHAKE_COOKIE:
                return "HANDSHAKE_COOKIE";
            default:
                return "UNKNOWN(" + type + ")";
        }
    }
}
