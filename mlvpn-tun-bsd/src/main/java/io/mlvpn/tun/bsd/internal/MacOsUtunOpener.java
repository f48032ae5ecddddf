package io.mlvpn.tun.bsd.internal;

import com.sun.jna.Native;
import io.mlvpn.api.device.DeviceConfig;
import io.mlvpn.api.device.DeviceType;
import java.io.IOException;

/**
 * macOS: a utun interface is a {@code PF_SYSTEM} datagram socket connected to the
 * {@code com.apple.net.utun_control} kernel control ({@code CTLIOCGINFO} gives its id); unit
 * {@code N + 1} asks for {@code utunN}, unit 0 for the next free one, and the name the system gave
 * is read back with {@code UTUN_OPT_IFNAME}. A configured name that is not {@code utunN} cannot be
 * honoured (macOS does not rename interfaces), so the system chooses. Every packet carries the
 * 4-byte protocol-family header. macOS has no tap.
 */
final class MacOsUtunOpener implements DeviceOpener {
    private static final OsFamily OS = OsFamily.MACOS;

    @Override
    public PacketIo open(DeviceConfig config) throws IOException {
        if (config.type() != DeviceType.TUN) {
            throw new IOException("macOS has no tap device: utun carries IP packets only (use type tun)");
        }
        Syscalls sys = new Syscalls(OS);
        String requested = config.name();
        int unit = requested.matches("utun[0-9]{1,5}") ? Integer.parseInt(requested.substring(4)) + 1 : 0;
        int fd = sys.socket(SysSocket.PF_SYSTEM, SysSocket.SOCK_DGRAM, SysDomain.SYSPROTO_CONTROL,
                "PF_SYSTEM, SOCK_DGRAM, SYSPROTO_CONTROL");
        String name;
        try {
            CtlInfo info = CtlInfo.forName(IfUtun.UTUN_CONTROL_NAME);
            sys.ioctl(fd, KernControl.CTLIOCGINFO, "CTLIOCGINFO", IfUtun.UTUN_CONTROL_NAME, info);
            SockaddrCtl address = SockaddrCtl.of(info.ctl_id, unit);
            if (LibC.connect(fd, address, KernControl.SIZEOF_SOCKADDR_CTL) < 0) {
                throw Errno.exception(OS, "connect(" + IfUtun.UTUN_CONTROL_NAME + ", sc_unit " + unit + ")",
                        Native.getLastError());
            }
            byte[] buffer = new byte[NetIf.IFNAMSIZ];
            int[] length = {buffer.length};
            if (LibC.getsockopt(fd, SysDomain.SYSPROTO_CONTROL, IfUtun.UTUN_OPT_IFNAME, buffer, length) < 0) {
                throw Errno.exception(OS, "getsockopt(SYSPROTO_CONTROL, UTUN_OPT_IFNAME)", Native.getLastError());
            }
            name = CStrings.decode(buffer);
        } catch (IOException | RuntimeException e) {
            Syscalls.closeQuietly(fd);
            throw e;
        }
        return PacketIo.create(OS, fd, name, AfHeader.forOs(OS));
    }
}
