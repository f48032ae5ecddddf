package io.mlvpn.testkit.lab;

import java.nio.ByteBuffer;

/**
 * One datagram held by a relay direction until its release time, a reusable slot. Ownership moves
 * with the slot: the receive thread fills it, the release thread judges, holds and sends it and
 * hands it back; the rings between them publish its fields.
 */
final class HeldDatagram {
    private byte[] bytes;
    private ByteBuffer view;
    int length;
    long arrivalNanos;
    long releaseNanos;
    /** Arrival order, so datagrams due at the same instant leave first in, first out. */
    long sequence;

    HeldDatagram(int capacity) {
        this.bytes = new byte[capacity];
        this.view = ByteBuffer.wrap(bytes);
    }

    int capacity() {
        return bytes.length;
    }

    /** Replaces the storage with a larger one; the receive thread only, never on a warm path. */
    void grow(int capacity) {
        bytes = new byte[capacity];
        view = ByteBuffer.wrap(bytes);
    }

    /** Copies the remaining bytes of {@code from} in without moving its position. */
    void fill(ByteBuffer from, long arrivalNanos, long sequence) {
        int n = from.remaining();
        from.get(from.position(), bytes, 0, n);
        this.length = n;
        this.arrivalNanos = arrivalNanos;
        this.sequence = sequence;
    }

    /** The datagram as a buffer from position 0 to its length. */
    ByteBuffer content() {
        view.clear().limit(length);
        return view;
    }
}
