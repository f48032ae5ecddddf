package io.mlvpn.tun.linux.internal;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;

/** {@code struct msghdr}: only for the layout test; the data path writes the offsets in {@link Mmsg}. */
@FieldOrder({"msg_name", "msg_namelen", "msg_iov", "msg_iovlen", "msg_control", "msg_controllen", "msg_flags"})
public class Msghdr extends CStruct {
    /** Peer address ({@code sockaddr_in} / {@code sockaddr_in6}). */
    public Pointer msg_name;
    /** Its length ({@code socklen_t}). */
    public int msg_namelen;
    /** Scatter/gather array. */
    public Pointer msg_iov;
    /** Its element count ({@code size_t}). */
    public long msg_iovlen;
    /** Ancillary data. */
    public Pointer msg_control;
    /** Its length ({@code size_t}). */
    public long msg_controllen;
    /** Flags of the received message ({@code MSG_TRUNC}, ...). */
    public int msg_flags;

    /** Zeroes. */
    public Msghdr() {
    }
}
