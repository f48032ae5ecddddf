package io.mlvpn.tun.linux.internal;

import com.sun.jna.Structure.FieldOrder;

/** {@code struct mmsghdr}: only for the layout test; the data path writes the offsets in {@link Mmsg}. */
@FieldOrder({"msg_hdr", "msg_len"})
public class Mmsghdr extends CStruct {
    /** The message. */
    public Msghdr msg_hdr = new Msghdr();
    /** Bytes received or sent ({@code unsigned int}). */
    public int msg_len;

    /** Zeroes. */
    public Mmsghdr() {
    }
}
