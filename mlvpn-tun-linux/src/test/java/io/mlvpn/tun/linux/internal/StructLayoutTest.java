package io.mlvpn.tun.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.jna.Pointer;
import org.junit.jupiter.api.Test;

/**
 * Checks every JNA structure against the C layout on LP64 Linux. The expected numbers come from the
 * headers (and were confirmed with offsetof/sizeof on x86-64 with glibc 2.36).
 */
class StructLayoutTest {

    @Test
    void ifreq() {
        // <net/if.h>: struct ifreq { char ifr_name[IFNAMSIZ = 16]; union { struct sockaddr (16);
        // short; int; struct ifmap (24, 8-aligned); char[16]; ... } ifr_ifru; }  -> 16 + 24 = 40
        Ifreq ifr = new Ifreq("mlvpn0");
        assertEquals(40, ifr.size());
        assertEquals(0, ifr.offsetOf("ifr_name"));
        assertEquals(16, ifr.offsetOf("ifr_ifru"));
        assertEquals(24, ifr.ifr_ifru.size());
        // struct ifmap { unsigned long mem_start, mem_end; unsigned short base_addr; unsigned char irq, dma, port; }
        Ifmap map = new Ifmap();
        assertEquals(24, map.size());
        assertEquals(16, map.offsetOf("base_addr"));
        assertEquals(18, map.offsetOf("irq"));
    }

    @Test
    void ifreqUnionMembersLandAtOffset16() {
        Ifreq flags = new Ifreq("a").flags((short) 0x1003);
        flags.write();
        Pointer p = flags.getPointer();
        assertEquals('a', p.getByte(0));
        assertEquals(0, p.getByte(1));
        assertEquals((short) 0x1003, p.getShort(16)); // ifr_flags

        Ifreq mtu = new Ifreq("a").intValue(1400);
        mtu.write();
        assertEquals(1400, mtu.getPointer().getInt(16)); // ifr_mtu

        Ifreq addr = new Ifreq("a").address(new byte[] {10, 99, 0, 1});
        addr.write();
        Pointer a = addr.getPointer();
        assertEquals(SocketConstants.AF_INET, a.getShort(16)); // ifr_addr.sin_family
        assertEquals(10, a.getByte(16 + 4)); // ifr_addr.sin_addr
        assertEquals(1, a.getByte(16 + 7));
    }

    @Test
    void ifreqNameRoundTripsAndRefusesLongNames() {
        assertEquals("mlvpn0", new Ifreq("mlvpn0").name());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new Ifreq("sixteen-chars-xx"));
    }

    @Test
    void in6Ifreq() {
        // <linux/ipv6.h>: struct in6_ifreq { struct in6_addr ifr6_addr; __u32 ifr6_prefixlen; int ifr6_ifindex; }
        In6Ifreq r = new In6Ifreq();
        assertEquals(24, r.size());
        assertEquals(0, r.offsetOf("ifr6_addr"));
        assertEquals(16, r.offsetOf("ifr6_prefixlen"));
        assertEquals(20, r.offsetOf("ifr6_ifindex"));
    }

    @Test
    void sockaddrIn() {
        // <netinet/in.h>: struct sockaddr_in { sa_family_t sin_family; in_port_t sin_port; struct in_addr sin_addr; unsigned char sin_zero[8]; }
        SockaddrIn s = new SockaddrIn();
        assertEquals(16, s.size());
        assertEquals(SockaddrIn.SIZE, s.size());
        assertEquals(0, s.offsetOf("sin_family"));
        assertEquals(2, s.offsetOf("sin_port"));
        assertEquals(SockaddrIn.PORT_OFFSET, s.offsetOf("sin_port"));
        assertEquals(4, s.offsetOf("sin_addr"));
        assertEquals(SockaddrIn.ADDR_OFFSET, s.offsetOf("sin_addr"));
        assertEquals(8, s.offsetOf("sin_zero"));
    }

    @Test
    void sockaddrIn6() {
        // struct sockaddr_in6 { sa_family_t sin6_family; in_port_t sin6_port; uint32_t sin6_flowinfo;
        //                       struct in6_addr sin6_addr; uint32_t sin6_scope_id; }
        SockaddrIn6 s = new SockaddrIn6();
        assertEquals(28, s.size());
        assertEquals(SockaddrIn6.SIZE, s.size());
        assertEquals(2, s.offsetOf("sin6_port"));
        assertEquals(SockaddrIn6.PORT_OFFSET, s.offsetOf("sin6_port"));
        assertEquals(4, s.offsetOf("sin6_flowinfo"));
        assertEquals(SockaddrIn6.FLOWINFO_OFFSET, s.offsetOf("sin6_flowinfo"));
        assertEquals(8, s.offsetOf("sin6_addr"));
        assertEquals(SockaddrIn6.ADDR_OFFSET, s.offsetOf("sin6_addr"));
        assertEquals(24, s.offsetOf("sin6_scope_id"));
        assertEquals(SockaddrIn6.SCOPE_ID_OFFSET, s.offsetOf("sin6_scope_id"));
    }

    @Test
    void pollfd() {
        // <poll.h>: struct pollfd { int fd; short events; short revents; }
        Pollfd p = new Pollfd();
        assertEquals(8, p.size());
        assertEquals(Poll.SIZE, p.size());
        assertEquals(Poll.FD_OFFSET, p.offsetOf("fd"));
        assertEquals(4, p.offsetOf("events"));
        assertEquals(Poll.EVENTS_OFFSET, p.offsetOf("events"));
        assertEquals(6, p.offsetOf("revents"));
        assertEquals(Poll.REVENTS_OFFSET, p.offsetOf("revents"));
    }

    @Test
    void iovec() {
        // <bits/types/struct_iovec.h>: struct iovec { void *iov_base; size_t iov_len; }  -> 0, 8; 16
        Iovec v = new Iovec();
        assertEquals(16, v.size());
        assertEquals(Mmsg.IOVEC_SIZE, v.size());
        assertEquals(0, v.offsetOf("iov_base"));
        assertEquals(Mmsg.IOV_BASE_OFFSET, v.offsetOf("iov_base"));
        assertEquals(8, v.offsetOf("iov_len"));
        assertEquals(Mmsg.IOV_LEN_OFFSET, v.offsetOf("iov_len"));
    }

    @Test
    void msghdr() {
        // <bits/socket.h>: struct msghdr { void *msg_name; socklen_t msg_namelen; struct iovec *msg_iov;
        //   size_t msg_iovlen; void *msg_control; size_t msg_controllen; int msg_flags; }
        // x86-64: name 0, namelen 8 (4 bytes padding), iov 16, iovlen 24, control 32, controllen 40,
        // flags 48 (4 bytes padding): sizeof 56.
        Msghdr m = new Msghdr();
        assertEquals(56, m.size());
        assertEquals(Mmsg.MSGHDR_SIZE, m.size());
        assertEquals(0, m.offsetOf("msg_name"));
        assertEquals(Mmsg.MSG_NAME_OFFSET, m.offsetOf("msg_name"));
        assertEquals(8, m.offsetOf("msg_namelen"));
        assertEquals(Mmsg.MSG_NAMELEN_OFFSET, m.offsetOf("msg_namelen"));
        assertEquals(16, m.offsetOf("msg_iov"));
        assertEquals(Mmsg.MSG_IOV_OFFSET, m.offsetOf("msg_iov"));
        assertEquals(24, m.offsetOf("msg_iovlen"));
        assertEquals(Mmsg.MSG_IOVLEN_OFFSET, m.offsetOf("msg_iovlen"));
        assertEquals(32, m.offsetOf("msg_control"));
        assertEquals(Mmsg.MSG_CONTROL_OFFSET, m.offsetOf("msg_control"));
        assertEquals(40, m.offsetOf("msg_controllen"));
        assertEquals(Mmsg.MSG_CONTROLLEN_OFFSET, m.offsetOf("msg_controllen"));
        assertEquals(48, m.offsetOf("msg_flags"));
        assertEquals(Mmsg.MSG_FLAGS_OFFSET, m.offsetOf("msg_flags"));
    }

    @Test
    void mmsghdr() {
        // <bits/socket.h> (_GNU_SOURCE): struct mmsghdr { struct msghdr msg_hdr; unsigned int msg_len; }
        // -> msg_hdr 0, msg_len 56, then 4 bytes padding to the 8-byte alignment: sizeof 64.
        Mmsghdr m = new Mmsghdr();
        assertEquals(64, m.size());
        assertEquals(Mmsg.MMSGHDR_SIZE, m.size());
        assertEquals(0, m.offsetOf("msg_hdr"));
        assertEquals(56, m.offsetOf("msg_len"));
        assertEquals(Mmsg.MSG_LEN_OFFSET, m.offsetOf("msg_len"));
    }

    @Test
    void mmsghdrFieldsLandWhereTheDataPathWritesThem() {
        Mmsghdr m = new Mmsghdr();
        m.msg_hdr.msg_namelen = 0x11223344;
        m.msg_hdr.msg_iovlen = 0x5566778899L;
        m.msg_hdr.msg_flags = 0x20;
        m.msg_len = 1400;
        m.write();
        Pointer p = m.getPointer();
        assertEquals(0x11223344, p.getInt(Mmsg.MSG_NAMELEN_OFFSET));
        assertEquals(0x5566778899L, p.getLong(Mmsg.MSG_IOVLEN_OFFSET));
        assertEquals(0x20, p.getInt(Mmsg.MSG_FLAGS_OFFSET));
        assertEquals(1400, p.getInt(Mmsg.MSG_LEN_OFFSET));
    }

    @Test
    void passwd() {
        // <pwd.h>: struct passwd { char *pw_name; char *pw_passwd; uid_t pw_uid; gid_t pw_gid;
        //                          char *pw_gecos; char *pw_dir; char *pw_shell; }
        Passwd p = new Passwd();
        assertEquals(48, p.size());
        assertEquals(16, p.offsetOf("pw_uid"));
        assertEquals(20, p.offsetOf("pw_gid"));
        assertEquals(24, p.offsetOf("pw_gecos"));
        assertEquals(32, p.offsetOf("pw_dir"));
        assertEquals(40, p.offsetOf("pw_shell"));
    }

    @Test
    void capabilityStructs() {
        // <linux/capability.h>: struct __user_cap_header_struct { __u32 version; int pid; }
        //                       struct __user_cap_data_struct { __u32 effective, permitted, inheritable; }
        CapUserHeader h = new CapUserHeader();
        assertEquals(8, h.size());
        assertEquals(4, h.offsetOf("pid"));
        assertEquals(0x20080522, h.version);
        CapUserData d = new CapUserData();
        assertEquals(12, d.size());
        assertEquals(4, d.offsetOf("permitted"));
        assertEquals(8, d.offsetOf("inheritable"));
    }
}
