package io.mlvpn.tun.linux.internal;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/** A JNA structure that reveals its field offsets, so tests can check them against the C layout. */
public abstract class CStruct extends Structure {
    /** A structure in memory JNA allocates. */
    protected CStruct() {
    }

    /** A structure over existing memory. */
    protected CStruct(Pointer memory) {
        super(memory);
    }

    /** Byte offset of {@code field}, as JNA lays it out. */
    public int offsetOf(String field) {
        return fieldOffset(field);
    }
}
