package io.mlvpn.core.buffer;

import io.mlvpn.api.packet.PacketBuffer;

/**
 * What the engine says about the packet in one pooled buffer besides its bytes: what kind of
 * packet it is and, for data from the peer, the session lineage it arrived under. The thread that
 * hands a buffer to the device writer marks it; the writer reads it.
 *
 * <p>A {@link BufferPool} attaches one to every buffer it creates (as the buffer's
 * {@link PacketBuffer#attachment() attachment}, made once, so the packet path allocates nothing)
 * and resets it whenever it hands the buffer out, so no mark outlives its packet. Metadata kept
 * here rather than at byte offsets in the headroom cannot collide with the bytes written there.
 *
 * <p>Not safe for concurrent use: it travels with its buffer, one thread at a time, published to
 * the next owner by the hand-off that passes the buffer on.
 */
public final class PacketMeta {
    /** What a buffer handed to the device writer holds. */
    public enum Kind {
        /** Not marked: how the pool hands a buffer out. */
        NONE,
        /** A data packet from the peer; the copy of its header sits at index 0 of the headroom. */
        PEER_DATA,
        /** A packet the tunnel itself answers into the device (ICMP "packet too big"). */
        LOCAL
    }

    private Kind kind = Kind.NONE;
    private int lineage;

    PacketMeta() {
    }

    /**
     * The metadata of {@code buffer}.
     *
     * @param buffer a buffer from a {@link BufferPool}: other buffers have none
     */
    public static PacketMeta of(PacketBuffer buffer) {
        return (PacketMeta) buffer.attachment();
    }

    /** What the buffer holds; {@link Kind#NONE} until marked. */
    public Kind kind() {
        return kind;
    }

    /** The session lineage of {@link Kind#PEER_DATA}; 0 otherwise. */
    public int lineage() {
        return lineage;
    }

    /** Marks a data packet from the peer that arrived under session lineage {@code lineage}. */
    public void markPeerData(int lineage) {
        this.kind = Kind.PEER_DATA;
        this.lineage = lineage;
    }

    /** Marks a packet the tunnel itself writes into the device. */
    public void markLocal() {
        this.kind = Kind.LOCAL;
        this.lineage = 0;
    }

    /** Forgets the marks, as the pool does before handing the buffer out again. */
    void clear() {
        kind = Kind.NONE;
        lineage = 0;
    }

    @Override
    public String toString() {
        return "PacketMeta[kind=" + kind + ", lineage=" + lineage + "]";
    }
}
