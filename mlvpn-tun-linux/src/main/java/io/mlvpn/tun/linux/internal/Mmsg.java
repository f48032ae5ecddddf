package io.mlvpn.tun.linux.internal;

/**
 * Layout of {@code struct iovec} ({@code <sys/uio.h>}), {@code struct msghdr} and
 * {@code struct mmsghdr} ({@code <sys/socket.h>}) on LP64 Linux, as the batched datagram calls
 * ({@code recvmmsg}, {@code sendmmsg}) read and write them. The data path writes these offsets in
 * native memory directly; {@link Iovec}, {@link Msghdr} and {@link Mmsghdr} exist so that the
 * layout test can check every number here against JNA's own layout of the C declarations.
 * {@code struct cmsghdr} ({@code <bits/socket.h>}) is given here too, for the control messages
 * (UDP GSO and GRO segment sizes, the drop counter) that travel with a message.
 */
public final class Mmsg {
    /** sizeof(struct iovec): {@code void *iov_base; size_t iov_len;}. */
    public static final int IOVEC_SIZE = 16;
    /** offsetof(struct iovec, iov_base). */
    public static final int IOV_BASE_OFFSET = 0;
    /** offsetof(struct iovec, iov_len). */
    public static final int IOV_LEN_OFFSET = 8;

    /** sizeof(struct msghdr). */
    public static final int MSGHDR_SIZE = 56;
    /** offsetof(struct msghdr, msg_name). */
    public static final int MSG_NAME_OFFSET = 0;
    /** offsetof(struct msghdr, msg_namelen), a 4-byte {@code socklen_t}. */
    public static final int MSG_NAMELEN_OFFSET = 8;
    /** offsetof(struct msghdr, msg_iov). */
    public static final int MSG_IOV_OFFSET = 16;
    /** offsetof(struct msghdr, msg_iovlen), a {@code size_t}. */
    public static final int MSG_IOVLEN_OFFSET = 24;
    /** offsetof(struct msghdr, msg_control). */
    public static final int MSG_CONTROL_OFFSET = 32;
    /** offsetof(struct msghdr, msg_controllen), a {@code size_t}. */
    public static final int MSG_CONTROLLEN_OFFSET = 40;
    /** offsetof(struct msghdr, msg_flags), an {@code int}. */
    public static final int MSG_FLAGS_OFFSET = 48;

    /** sizeof(struct mmsghdr): a msghdr, then {@code unsigned int msg_len}, padded to 8. */
    public static final int MMSGHDR_SIZE = 64;
    /** offsetof(struct mmsghdr, msg_len): bytes received or sent for that message. */
    public static final int MSG_LEN_OFFSET = 56;

    /** sizeof(struct cmsghdr): {@code size_t cmsg_len; int cmsg_level; int cmsg_type;}. */
    public static final int CMSGHDR_SIZE = 16;
    /** offsetof(struct cmsghdr, cmsg_len), a {@code size_t}. */
    public static final int CMSG_LEN_OFFSET = 0;
    /** offsetof(struct cmsghdr, cmsg_level). */
    public static final int CMSG_LEVEL_OFFSET = 8;
    /** offsetof(struct cmsghdr, cmsg_type). */
    public static final int CMSG_TYPE_OFFSET = 12;
    /** CMSG_DATA offset: the header rounded up to {@link #CMSG_ALIGN}. */
    public static final int CMSG_DATA_OFFSET = 16;
    /** Control messages start on multiples of sizeof(size_t). */
    public static final int CMSG_ALIGN = 8;

    private Mmsg() {
    }
}
