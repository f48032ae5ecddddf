package io.mlvpn.tun.bsd.internal;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Interface ioctls (MTU, flags, FreeBSD rename) issued on a short-lived {@code AF_INET} datagram
 * socket, as ifconfig(8) does. Set-up only. Stateless.
 */
public final class InterfaceControl {
    private final Syscalls sys;

    /** Control calls for the given system. */
    public InterfaceControl(OsFamily os) {
        this.sys = new Syscalls(os);
    }

    /** {@code SIOCSIFMTU}. */
    public void setMtu(String ifname, int mtu) throws IOException {
        int s = controlSocket();
        try {
            Ifreq ifr = Ifreq.named(ifname);
            ifr.setMtu(mtu);
            sys.ioctl(s, Sockio.siocsifmtu(sys.os()), "SIOCSIFMTU " + mtu, ifname, ifr);
        } finally {
            Syscalls.closeQuietly(s);
        }
    }

    /** {@code SIOCGIFFLAGS} then {@code SIOCSIFFLAGS} with {@code IFF_UP} added. */
    public void bringUp(String ifname) throws IOException {
        int s = controlSocket();
        try {
            Ifreq ifr = Ifreq.named(ifname);
            ifr.setFlags((short) 0);
            sys.ioctl(s, Sockio.SIOCGIFFLAGS, "SIOCGIFFLAGS", ifname, ifr);
            short flags = ifr.readFlags();
            Ifreq set = Ifreq.named(ifname);
            set.setFlags((short) (flags | NetIf.IFF_UP));
            sys.ioctl(s, Sockio.SIOCSIFFLAGS, "SIOCSIFFLAGS IFF_UP", ifname, set);
        } finally {
            Syscalls.closeQuietly(s);
        }
    }

    /** FreeBSD {@code SIOCSIFNAME}: renames {@code from} to {@code to}. */
    public void renameFreeBsd(String from, String to) throws IOException {
        int s = controlSocket();
        try {
            byte[] name = to.getBytes(StandardCharsets.US_ASCII);
            Memory newName = new Memory(NetIf.IFNAMSIZ);
            newName.clear();
            newName.write(0, name, 0, Math.min(name.length, NetIf.IFNAMSIZ - 1));
            Ifreq ifr = Ifreq.named(from);
            ifr.setData(newName);
            sys.ioctl(s, Sockio.FREEBSD_SIOCSIFNAME, "SIOCSIFNAME \"" + to + "\"", from, ifr);
        } finally {
            Syscalls.closeQuietly(s);
        }
    }

    /**
     * FreeBSD {@code SIOCIFDESTROY}: destroys a cloned interface, which FreeBSD (before
     * {@code TUNSTRANSIENT}) keeps after its device is closed.
     *
     * @return 0 or the errno
     */
    public int destroyFreeBsd(String ifname) {
        int s = LibC.socket(SysSocket.AF_INET, SysSocket.SOCK_DGRAM, 0);
        if (s < 0) {
            return Native.getLastError();
        }
        try {
            Ifreq ifr = Ifreq.named(ifname);
            ifr.write();
            int r = VarargsLibC.INSTANCE.ioctl(s, new NativeLong(Sockio.FREEBSD_SIOCIFDESTROY), ifr.getPointer());
            return r < 0 ? Native.getLastError() : 0;
        } finally {
            Syscalls.closeQuietly(s);
        }
    }

    private int controlSocket() throws IOException {
        return sys.socket(SysSocket.AF_INET, SysSocket.SOCK_DGRAM, 0, "AF_INET, SOCK_DGRAM");
    }
}
