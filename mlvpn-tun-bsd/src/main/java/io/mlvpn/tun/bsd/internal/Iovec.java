package io.mlvpn.tun.bsd.internal;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/**
 * {@code struct iovec} of {@code sys/uio.h} (16 bytes on 64-bit). The read/write loop writes
 * iovecs straight into native memory at {@link #OFFSET_BASE} and {@link #OFFSET_LEN}; this class
 * exists so the tests can check those offsets against JNA's layout.
 *
 * <pre>
 * struct iovec {
 *     void  *iov_base;  // offset 0
 *     size_t iov_len;   // offset 8
 * };
 * </pre>
 */
@Structure.FieldOrder({"iov_base", "iov_len"})
public final class Iovec extends Structure {
    /** {@code sizeof(struct iovec)}. */
    public static final int SIZE = 16;
    /** Offset of {@code iov_base}. */
    public static final int OFFSET_BASE = 0;
    /** Offset of {@code iov_len}. */
    public static final int OFFSET_LEN = 8;

    /** {@code iov_base}. */
    public Pointer iov_base;
    /** {@code iov_len}. */
    public long iov_len;

    /** An all-zero iovec. */
    public Iovec() {
        super();
    }

    /** Offset of a field, for the layout tests. */
    public int offsetOf(String field) {
        return fieldOffset(field);
    }
}
