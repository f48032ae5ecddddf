package io.mlvpn.tun.linux;

import io.mlvpn.tun.linux.internal.Errno;
import io.mlvpn.tun.linux.internal.Ifreq;
import io.mlvpn.tun.linux.internal.In6Ifreq;
import io.mlvpn.tun.linux.internal.LibC;
import io.mlvpn.tun.linux.internal.SocketConstants;
import io.mlvpn.tun.linux.internal.Sockios;
import java.io.IOException;

/**
 * Sets an interface's MTU and address and brings it up with the classic interface ioctls on a
 * throw-away datagram socket, as {@code ifconfig} does. Needs CAP_NET_ADMIN. Stateless.
 */
final class InterfaceConfigurator {
    private InterfaceConfigurator() {
    }

    /**
     * Applies the MTU, then the address (IPv4: address, netmask, optional peer; IPv6: address and
     * prefix), then IFF_UP.
     *
     * @param address the interface address, or {@code null} for none
     * @param peer the point-to-point peer, or {@code null} for none
     */
    static void configure(String name, int mtu, InterfaceAddress address, InterfaceAddress peer) throws IOException {
        int s = openSocket(SocketConstants.AF_INET);
        try {
            ioctl(s, Sockios.SIOCSIFMTU, "SIOCSIFMTU", name, new Ifreq(name).intValue(mtu), Integer.toString(mtu));
            if (address != null && !address.isIpv6()) {
                ioctl(s, Sockios.SIOCSIFADDR, "SIOCSIFADDR", name, new Ifreq(name).address(address.bytes()),
                        address.toString());
                if (peer != null) {
                    ioctl(s, Sockios.SIOCSIFDSTADDR, "SIOCSIFDSTADDR", name, new Ifreq(name).address(peer.bytes()),
                            peer.toString());
                }
                ioctl(s, Sockios.SIOCSIFNETMASK, "SIOCSIFNETMASK", name,
                        new Ifreq(name).address(address.ipv4Netmask()), "/" + address.prefixLength());
            } else if (address != null) {
                configureIpv6(name, address);
            }
            Ifreq flags = new Ifreq(name).flags((short) 0);
            ioctl(s, Sockios.SIOCGIFFLAGS, "SIOCGIFFLAGS", name, flags, null);
            flags.flags((short) (flags.ifr_ifru.ifru_flags | Sockios.IFF_UP));
            ioctl(s, Sockios.SIOCSIFFLAGS, "SIOCSIFFLAGS", name, flags, "IFF_UP");
        } finally {
            LibC.close(s);
        }
    }

    private static void configureIpv6(String name, InterfaceAddress address) throws IOException {
        int s6 = openSocket(SocketConstants.AF_INET6);
        try {
            Ifreq index = new Ifreq(name).intValue(0);
            ioctl(s6, Sockios.SIOCGIFINDEX, "SIOCGIFINDEX", name, index, null);
            In6Ifreq in6 = new In6Ifreq();
            in6.ifr6_addr = address.bytes();
            in6.ifr6_prefixlen = address.prefixLength();
            in6.ifr6_ifindex = index.ifr_ifru.ifru_ivalue;
            if (LibC.ioctl(s6, Sockios.SIOCSIFADDR, in6) != 0) {
                throw Errno.lastException("ioctl(SIOCSIFADDR, \"" + name + "\", " + address + ")");
            }
        } finally {
            LibC.close(s6);
        }
    }

    private static int openSocket(int family) throws IOException {
        int s = LibC.socket(family, SocketConstants.SOCK_DGRAM | SocketConstants.SOCK_CLOEXEC, 0);
        if (s < 0) {
            throw Errno.lastException("socket(" + (family == SocketConstants.AF_INET ? "AF_INET" : "AF_INET6")
                    + ", SOCK_DGRAM)");
        }
        return s;
    }

    private static void ioctl(int s, long request, String requestName, String name, Ifreq ifr, String argument)
            throws IOException {
        if (LibC.ioctl(s, request, ifr) != 0) {
            throw Errno.lastException("ioctl(" + requestName + ", \"" + name + "\""
                    + (argument == null ? "" : ", " + argument) + ")");
        }
    }
}
