package io.mlvpn.tun.bsd.internal;

import io.mlvpn.api.device.DeviceConfig;
import io.mlvpn.api.device.DeviceType;
import java.io.IOException;

/**
 * FreeBSD: opens {@code /dev/tunN} or {@code /dev/tapN} when the configured name is of that form,
 * otherwise the cloning node ({@code /dev/tun}, {@code /dev/tap}) and renames the new interface to
 * the configured name ({@code SIOCSIFNAME}). A tun is put in point-to-point multicast mode and in
 * multi-af mode ({@code TUNSIFHEAD}), so it carries IPv4 and IPv6 behind the 4-byte header; a tap
 * carries bare Ethernet frames. FreeBSD keeps a cloned interface after its device is closed, so an
 * interface this opener cloned is destroyed ({@code SIOCIFDESTROY}) when the device is released or
 * when opening fails; a restart then finds the configured name free again.
 */
final class FreeBsdOpener implements DeviceOpener {
    private static final OsFamily OS = OsFamily.FREEBSD;

    @Override
    public PacketIo open(DeviceConfig config) throws IOException {
        Syscalls sys = new Syscalls(OS);
        boolean tun = config.type() == DeviceType.TUN;
        String requested = config.name();
        String prefix = tun ? "tun" : "tap";
        String path = requested.matches(prefix + "[0-9]+") ? "/dev/" + requested
                : tun ? FreeBsdIfTun.CLONE_PATH : FreeBsdIfTap.CLONE_PATH;
        boolean cloned = !path.equals("/dev/" + requested);
        int fd = sys.openReadWrite(path);
        String name = null;
        try {
            Ifreq ifr = new Ifreq();
            sys.ioctl(fd, tun ? FreeBsdIfTun.TUNGIFNAME : FreeBsdIfTap.TAPGIFNAME,
                    tun ? "TUNGIFNAME" : "TAPGIFNAME", path, ifr);
            name = ifr.name();
            if (tun) {
                sys.ioctlInt(fd, FreeBsdIfTun.TUNSIFMODE, "TUNSIFMODE", name, NetIf.IFF_POINTOPOINT | NetIf.IFF_MULTICAST);
                sys.ioctlInt(fd, FreeBsdIfTun.TUNSIFHEAD, "TUNSIFHEAD", name, 1);
            }
            if (!name.equals(requested)) {
                new InterfaceControl(OS).renameFreeBsd(name, requested);
                name = requested;
            }
        } catch (IOException | RuntimeException e) {
            Syscalls.closeQuietly(fd);
            if (cloned && name != null) {
                new InterfaceControl(OS).destroyFreeBsd(name);
            }
            throw e;
        }
        String created = name;
        try {
            return PacketIo.create(OS, fd, name, tun ? AfHeader.forOs(OS) : null,
                    cloned ? () -> new InterfaceControl(OS).destroyFreeBsd(created) : () -> 0);
        } catch (IOException | RuntimeException e) {
            // create() closed the descriptor already.
            if (cloned) {
                new InterfaceControl(OS).destroyFreeBsd(created);
            }
            throw e;
        }
    }
}
