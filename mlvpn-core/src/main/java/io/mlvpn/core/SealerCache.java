package io.mlvpn.core;

import io.mlvpn.api.crypto.PacketSealer;
import io.mlvpn.core.crypto.Sealers;

/**
 * One thread's sealers for the few live sessions, so that a rekey costs one new cipher per
 * thread and the per-packet path only compares references. Owned by one thread.
 */
final class SealerCache {
    private static final int SLOTS = 4;
    private final boolean send;
    private final Session[] sessions = new Session[SLOTS];
    private final PacketSealer[] sealers = new PacketSealer[SLOTS];
    private int next;

    /** @param send true for the sending direction's key, false for the receiving one's */
    SealerCache(boolean send) {
        this.send = send;
    }

    PacketSealer get(Session s) {
        for (int i = 0; i < SLOTS; i++) {
            if (sessions[i] == s) {
                return sealers[i];
            }
        }
        byte[] key = send ? s.sendKey() : s.receiveKey();
        PacketSealer sealer = Sealers.create(s.cipher, key);
        java.util.Arrays.fill(key, (byte) 0);
        int slot = next;
        next = (next + 1) % SLOTS;
        sessions[slot] = s;
        sealers[slot] = sealer;
        return sealer;
    }
}
