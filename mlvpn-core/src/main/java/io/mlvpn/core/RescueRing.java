package io.mlvpn.core;

/**
 * The last packets sent on one link, kept so that when the link goes silent the ones its peer has
 * not acknowledged can be sent again on a surviving link (the receiver drops duplicates on the data
 * sequence, so a packet that did arrive is harmless). Plaintext copies in one preallocated array;
 * owned by the device-reader thread.
 */
final class RescueRing {
    private final int slots;
    private final int slotBytes;
    private final byte[] data;
    private final int[] lengths;
    private final long[] linkSequences;
    private final long[] dataSequences;
    private final int[] types;
    private final Session[] sessions;
    private long next;

    RescueRing(int slots, int slotBytes) {
        this.slots = slots;
        this.slotBytes = slotBytes;
        this.data = new byte[slots * slotBytes];
        this.lengths = new int[slots];
        this.linkSequences = new long[slots];
        this.dataSequences = new long[slots];
        this.types = new int[slots];
        this.sessions = new Session[slots];
    }

    /**
     * Remembers a packet of packet type {@code type} sent under {@code s} with link sequence
     * {@code seq}; oversize ones are not kept.
     */
    void record(Session s, long seq, long dataSequence, int type, byte[] src, int off, int len) {
        if (len > slotBytes) {
            return;
        }
        int i = (int) (next++ % slots);
        System.arraycopy(src, off, data, i * slotBytes, len);
        lengths[i] = len;
        linkSequences[i] = seq;
        dataSequences[i] = dataSequence;
        types[i] = type;
        sessions[i] = s;
    }

    /** Oldest first: the number of entries held (at most the slot count). */
    int size() {
        return (int) Math.min(next, slots);
    }

    /** Entry {@code k}, 0 being the oldest held: its slot index for the accessors below. */
    int slot(int k) {
        long first = next - size();
        return (int) ((first + k) % slots);
    }

    int length(int slot) {
        return lengths[slot];
    }

    int offset(int slot) {
        return slot * slotBytes;
    }

    byte[] array() {
        return data;
    }

    long linkSequence(int slot) {
        return linkSequences[slot];
    }

    long dataSequence(int slot) {
        return dataSequences[slot];
    }

    /** The packet type it was sent as (DATA or DATA_PARTIAL_CHECKSUM). */
    int type(int slot) {
        return types[slot];
    }

    Session session(int slot) {
        return sessions[slot];
    }

    /** Forgets every entry. */
    void clear() {
        next = 0;
        java.util.Arrays.fill(sessions, null);
    }
}
