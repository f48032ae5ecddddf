package io.mlvpn.tun.bsd.internal;

import io.mlvpn.api.device.DeviceConfig;
import io.mlvpn.api.device.DeviceType;
import java.io.IOException;

/**
 * OpenBSD: opens {@code /dev/tunN} or {@code /dev/tapN} when the configured name is of that form,
 * otherwise the first free unit (busy ones answer {@code EBUSY}); OpenBSD cannot rename
 * interfaces, so the device keeps its {@code tunN}/{@code tapN} name. Opening the node creates the
 * interface. tun always carries the 4-byte address-family header; tap carries bare Ethernet frames.
 */
final class OpenBsdOpener implements DeviceOpener {
    private static final OsFamily OS = OsFamily.OPENBSD;
    private static final int ENOENT = 2;
    private static final int ENXIO = 6;

    @Override
    public PacketIo open(DeviceConfig config) throws IOException {
        Syscalls sys = new Syscalls(OS);
        boolean tun = config.type() == DeviceType.TUN;
        String prefix = tun ? "tun" : "tap";
        String name;
        int fd;
        if (config.name().matches(prefix + "[0-9]+")) {
            name = config.name();
            fd = sys.openReadWrite("/dev/" + name);
        } else {
            int[] out = new int[1];
            int unit = 0;
            while (true) {
                String path = "/dev/" + prefix + unit;
                int errno = sys.tryOpenReadWrite(path, out);
                if (errno < 0) {
                    break;
                }
                boolean noMoreNodes = unit > 0 && (errno == ENOENT || errno == ENXIO);
                if (errno != Errno.EBUSY || unit == OpenBsdIfTun.MAX_UNIT || noMoreNodes) {
                    String hint = noMoreNodes ? " (every existing " + prefix + " is busy; "
                            + "create more with: cd /dev && sh MAKEDEV " + path.substring(5) + ")" : "";
                    throw new IOException(Errno.exception(OS, "open(" + path + ", O_RDWR)", errno).getMessage() + hint);
                }
                unit++;
            }
            fd = out[0];
            name = prefix + unit;
        }
        if (tun) {
            try {
                sys.ioctlInt(fd, OpenBsdIfTun.TUNSIFMODE, "TUNSIFMODE", name, NetIf.IFF_POINTOPOINT);
            } catch (IOException | RuntimeException e) {
                Syscalls.closeQuietly(fd);
                throw e;
            }
        }
        return PacketIo.create(OS, fd, name, tun ? AfHeader.forOs(OS) : null);
    }
}
