package io.mlvpn.tun.linux.internal;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;

/** {@code struct iovec}: only for the layout test; the data path writes the offsets in {@link Mmsg}. */
@FieldOrder({"iov_base", "iov_len"})
public class Iovec extends CStruct {
    /** Start of the memory. */
    public Pointer iov_base;
    /** Length in bytes ({@code size_t}). */
    public long iov_len;

    /** Zeroes. */
    public Iovec() {
    }
}
