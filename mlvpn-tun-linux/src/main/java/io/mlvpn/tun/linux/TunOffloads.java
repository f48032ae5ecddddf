package io.mlvpn.tun.linux;

import io.mlvpn.tun.linux.internal.Errno;
import io.mlvpn.tun.linux.internal.IfTun;
import java.io.IOException;
import java.util.Optional;

/**
 * Decides whether a tun or tap device gets offloads: {@code TUNSETIFF} with {@code IFF_VNET_HDR}, then
 * {@code TUNSETVNETHDRSZ} (10 bytes) and {@code TUNSETOFFLOAD} (checksum, TSO4, TSO6). A kernel
 * that refuses any step with {@code EINVAL} is too old: the caller falls back to a plain device on
 * a fresh fd (an attached fd cannot drop {@code IFF_VNET_HDR}) and the device reports why through
 * {@link io.mlvpn.api.device.PacketDevice#offloadsRefused()}, which the engine logs. Stateless.
 */
final class TunOffloads {
    /** The offloads asked for: what the reader can undo by itself. */
    static final int FLAGS = IfTun.TUN_F_CSUM | IfTun.TUN_F_TSO4 | IfTun.TUN_F_TSO6;

    private TunOffloads() {
    }

    /** The three ioctls on one tun fd; each returns 0 or the errno it failed with. */
    interface Control {
        /** {@code TUNSETIFF} with these flags. */
        int attach(short flags);

        /** {@code TUNSETVNETHDRSZ}. */
        int setVnetHeaderSize(int bytes);

        /** {@code TUNSETOFFLOAD}. */
        int setOffload(int flags);
    }

    /**
     * Attaches with {@code IFF_VNET_HDR} and turns the offloads on.
     *
     * @param plainFlags the {@code TUNSETIFF} flags without {@code IFF_VNET_HDR}
     * @return empty when offloads are on; when the kernel refused them with {@code EINVAL}, why (the
     *     fd may be attached then: the caller opens a fresh one)
     * @throws IOException naming the call and errno for any other failure
     */
    static Optional<String> enable(Control control, String name, short plainFlags) throws IOException {
        int errno = control.attach((short) (plainFlags | IfTun.IFF_VNET_HDR));
        if (errno != 0) {
            String kind = (plainFlags & IfTun.IFF_TAP) != 0 ? "IFF_TAP" : "IFF_TUN";
            return refused(errno, "ioctl(TUNSETIFF, \"" + name + "\", " + kind + "|IFF_NO_PI|IFF_VNET_HDR)");
        }
        errno = control.setVnetHeaderSize(VirtioNetHeader.LENGTH);
        if (errno != 0) {
            return refused(errno, "ioctl(TUNSETVNETHDRSZ, \"" + name + "\", " + VirtioNetHeader.LENGTH + ")");
        }
        errno = control.setOffload(FLAGS);
        if (errno != 0) {
            return refused(errno, "ioctl(TUNSETOFFLOAD, \"" + name + "\", TUN_F_CSUM|TUN_F_TSO4|TUN_F_TSO6)");
        }
        return Optional.empty();
    }

    private static Optional<String> refused(int errno, String call) throws IOException {
        if (errno != Errno.EINVAL) {
            throw Errno.exception(call, errno);
        }
        return Optional.of("the kernel refused offloads (" + call + ": EINVAL); using a plain device");
    }
}
