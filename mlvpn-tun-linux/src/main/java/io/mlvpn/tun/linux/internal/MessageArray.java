package io.mlvpn.tun.linux.internal;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The native arrays one {@code recvmmsg}/{@code sendmmsg} caller reuses for every call: {@value
 * #CAPACITY} {@code struct mmsghdr}, {@value #CAPACITY} {@code struct iovec}, and per message its
 * own sockaddr slot and control-message slot. On receive, message {@code i} always uses iovec
 * {@code i}; on send, a message may gather several consecutive iovecs (one UDP GSO message, cut
 * by the kernel into one datagram per iovec). The pointers between them are written once here; a
 * call only sets spans, lengths and the segment size, and reads back lengths, flags and control
 * messages, through a {@link ByteBuffer} view of the memory (plain Java stores, no JNI per field).
 *
 * <p>One thread at a time: the receiving thread owns one instance, each sending thread its own.
 * Allocates nothing per call, except when a slot's destination or a message's source changes.
 */
public final class MessageArray {
    /** Messages per system call; a larger batch goes in chunks of this size. */
    public static final int CAPACITY = 64;

    /** Room for a sockaddr_in6 (28 bytes), rounded up to keep slots 8-byte aligned. */
    private static final int NAME_SLOT = 32;
    private static final int IOVECS_OFFSET = CAPACITY * Mmsg.MMSGHDR_SIZE;
    private static final int NAMES_OFFSET = IOVECS_OFFSET + CAPACITY * Mmsg.IOVEC_SIZE;
    /**
     * Room for the control messages of one message: on receive a UDP_GRO int and an SO_RXQ_OVFL
     * u32 (24 bytes each with header and padding), on send one UDP_SEGMENT u16 (24 bytes).
     */
    static final int CONTROL_SLOT = 64;
    private static final int CONTROLS_OFFSET = NAMES_OFFSET + CAPACITY * NAME_SLOT;
    private static final int SIZE = CONTROLS_OFFSET + CAPACITY * CONTROL_SLOT;
    /** CMSG_LEN(sizeof(__u16)): the UDP_SEGMENT control message as the kernel checks it. */
    private static final int SEGMENT_CMSG_LEN = Mmsg.CMSG_DATA_OFFSET + 2;
    /** CMSG_SPACE(sizeof(__u16)): msg_controllen of a message that carries UDP_SEGMENT. */
    private static final int SEGMENT_CONTROL_LEN = Mmsg.CMSG_DATA_OFFSET + Mmsg.CMSG_ALIGN;

    private final Memory memory = new Memory(SIZE);
    private final long address = Pointer.nativeValue(memory);
    private final ByteBuffer view = memory.getByteBuffer(0, SIZE).order(ByteOrder.nativeOrder());
    private final Pointer[] names = new Pointer[CAPACITY];
    private final DirectAddressCache addresses = new DirectAddressCache();

    // Send side: the destination each slot last encoded, so a steady peer is encoded once per slot.
    private final InetSocketAddress[] encoded = new InetSocketAddress[CAPACITY];
    private final int[] encodedLength = new int[CAPACITY];
    // Send side: per message, its first iovec and how many datagrams it carries.
    private final int[] firstIovec = new int[CAPACITY];
    private final int[] datagrams = new int[CAPACITY];

    // Receive side: the last source decoded, so a steady peer decodes to the same object.
    private final byte[] sourceBytes = new byte[NAME_SLOT];
    private final byte[] lastSourceBytes = new byte[NAME_SLOT];
    private int lastSourceLength = -1;
    private InetSocketAddress lastSource;

    public MessageArray() {
        memory.clear();
        for (int i = 0; i < CAPACITY; i++) {
            int message = i * Mmsg.MMSGHDR_SIZE;
            int name = NAMES_OFFSET + i * NAME_SLOT;
            names[i] = memory.share(name, NAME_SLOT);
            view.putLong(message + Mmsg.MSG_NAME_OFFSET, address + name);
            view.putLong(message + Mmsg.MSG_IOV_OFFSET, address + IOVECS_OFFSET + (long) i * Mmsg.IOVEC_SIZE);
            view.putLong(message + Mmsg.MSG_IOVLEN_OFFSET, 1);
            view.putLong(message + Mmsg.MSG_CONTROL_OFFSET, address + CONTROLS_OFFSET + (long) i * CONTROL_SLOT);
            datagrams[i] = 1;
        }
    }

    /** The buffer addresses known to the thread that owns this array. */
    public DirectAddressCache addresses() {
        return addresses;
    }

    /** Native address of message {@code slot}, to pass to the system call. */
    public long address(int slot) {
        return address + (long) slot * Mmsg.MMSGHDR_SIZE;
    }

    /** Points iovec {@code slot} at {@code length} bytes of native memory at {@code bufferAddress}. */
    public void span(int slot, long bufferAddress, int length) {
        int iovec = IOVECS_OFFSET + slot * Mmsg.IOVEC_SIZE;
        view.putLong(iovec + Mmsg.IOV_BASE_OFFSET, bufferAddress);
        view.putLong(iovec + Mmsg.IOV_LEN_OFFSET, length);
    }

    /**
     * Before a receive: the whole name slot is room for the source, the whole control slot room for
     * control messages, and no flags.
     */
    public void prepareReceive(int slot) {
        int message = slot * Mmsg.MMSGHDR_SIZE;
        view.putInt(message + Mmsg.MSG_NAMELEN_OFFSET, NAME_SLOT);
        view.putLong(message + Mmsg.MSG_CONTROLLEN_OFFSET, CONTROL_SLOT);
        view.putInt(message + Mmsg.MSG_FLAGS_OFFSET, 0);
    }

    /**
     * Before a send: message {@code slot} carries the {@code count} datagrams whose spans are
     * iovecs {@code first .. first+count-1}; with {@code segmentBytes > 0} as one UDP GSO message
     * that the kernel cuts every {@code segmentBytes} bytes, otherwise as one datagram of their
     * concatenation ({@code count} must then be 1).
     */
    public void message(int slot, int first, int count, int segmentBytes) {
        int message = slot * Mmsg.MMSGHDR_SIZE;
        view.putLong(message + Mmsg.MSG_IOV_OFFSET, address + IOVECS_OFFSET + (long) first * Mmsg.IOVEC_SIZE);
        view.putLong(message + Mmsg.MSG_IOVLEN_OFFSET, count);
        firstIovec[slot] = first;
        datagrams[slot] = count;
        if (segmentBytes > 0) {
            int control = CONTROLS_OFFSET + slot * CONTROL_SLOT;
            view.putLong(control + Mmsg.CMSG_LEN_OFFSET, SEGMENT_CMSG_LEN);
            view.putInt(control + Mmsg.CMSG_LEVEL_OFFSET, SocketConstants.SOL_UDP);
            view.putInt(control + Mmsg.CMSG_TYPE_OFFSET, SocketConstants.UDP_SEGMENT);
            view.putShort(control + Mmsg.CMSG_DATA_OFFSET, (short) segmentBytes);
            view.putLong(message + Mmsg.MSG_CONTROLLEN_OFFSET, SEGMENT_CONTROL_LEN);
        } else {
            view.putLong(message + Mmsg.MSG_CONTROLLEN_OFFSET, 0);
        }
    }

    /** Datagrams message {@code slot} carries on send (more than 1 for a GSO message). */
    public int datagrams(int slot) {
        return datagrams[slot];
    }

    /** First iovec of message {@code slot} on send. */
    public int firstIovec(int slot) {
        return firstIovec[slot];
    }

    /**
     * The value of the control message {@code level}/{@code type} that the kernel attached to
     * received message {@code slot}, read as an unsigned 32-bit number (the drop counter is a
     * {@code __u32}; the GRO segment size a positive int); -1 when the message has none.
     */
    public long controlValue(int slot, int level, int type) {
        int message = slot * Mmsg.MMSGHDR_SIZE;
        long length = Math.min(view.getLong(message + Mmsg.MSG_CONTROLLEN_OFFSET), CONTROL_SLOT);
        int base = CONTROLS_OFFSET + slot * CONTROL_SLOT;
        int at = 0;
        while (at + Mmsg.CMSG_DATA_OFFSET + 4 <= length) {
            long cmsgLength = view.getLong(base + at + Mmsg.CMSG_LEN_OFFSET);
            if (cmsgLength < Mmsg.CMSGHDR_SIZE || cmsgLength > length - at) {
                return -1;
            }
            if (view.getInt(base + at + Mmsg.CMSG_LEVEL_OFFSET) == level
                    && view.getInt(base + at + Mmsg.CMSG_TYPE_OFFSET) == type) {
                return view.getInt(base + at + Mmsg.CMSG_DATA_OFFSET) & 0xffffffffL;
            }
            at += (int) ((cmsgLength + Mmsg.CMSG_ALIGN - 1) & -Mmsg.CMSG_ALIGN);
        }
        return -1;
    }

    /** Bytes the kernel reports for message {@code slot} ({@code msg_len}). */
    public int messageLength(int slot) {
        return view.getInt(slot * Mmsg.MMSGHDR_SIZE + Mmsg.MSG_LEN_OFFSET);
    }

    /** The received message's flags ({@code msg_flags}). */
    public int flags(int slot) {
        return view.getInt(slot * Mmsg.MMSGHDR_SIZE + Mmsg.MSG_FLAGS_OFFSET);
    }

    /**
     * The source of the message received in {@code slot}: the same object as last time when the
     * sender is unchanged (compared byte for byte), otherwise decoded anew.
     */
    public InetSocketAddress source(int slot) {
        int length = Math.min(view.getInt(slot * Mmsg.MMSGHDR_SIZE + Mmsg.MSG_NAMELEN_OFFSET), NAME_SLOT);
        view.get(NAMES_OFFSET + slot * NAME_SLOT, sourceBytes, 0, length);
        if (length == lastSourceLength && Arrays.equals(sourceBytes, 0, length, lastSourceBytes, 0, length)) {
            return lastSource;
        }
        InetSocketAddress decoded = SockaddrCodec.decode(names[slot]);
        System.arraycopy(sourceBytes, 0, lastSourceBytes, 0, length);
        lastSourceLength = length;
        lastSource = decoded;
        return decoded;
    }

    /**
     * Writes {@code destination} as message {@code slot}'s address for a socket of {@code family}
     * (re-encoding only when the slot last held another object).
     *
     * @return false when the family cannot carry the address (IPv6 on AF_INET, or unresolved)
     */
    public boolean destination(int slot, InetSocketAddress destination, int family) {
        if (encoded[slot] != destination) {
            encodedLength[slot] = SockaddrCodec.encode(destination, family, names[slot]);
            encoded[slot] = destination;
        }
        int length = encodedLength[slot];
        if (length < 0) {
            return false;
        }
        view.putInt(slot * Mmsg.MMSGHDR_SIZE + Mmsg.MSG_NAMELEN_OFFSET, length);
        return true;
    }

    /** The destination last encoded in {@code slot} (for error messages). */
    public InetSocketAddress destinationOf(int slot) {
        return encoded[slot];
    }

    /** The span length set for iovec {@code slot} (for error messages). */
    public long spanLength(int slot) {
        return view.getLong(IOVECS_OFFSET + slot * Mmsg.IOVEC_SIZE + Mmsg.IOV_LEN_OFFSET);
    }

    /** Keeps the native memory alive up to this point (call after each system call on it). */
    public void keepAlive() {
        java.lang.ref.Reference.reachabilityFence(memory);
    }
}
