package io.mlvpn.tun.bsd.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Native;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * JNA structure sizes and field offsets against the C layouts (LP64: FreeBSD/OpenBSD/macOS on
 * amd64 and arm64), written down from the headers named in each structure's Javadoc.
 */
class StructureLayoutTest {

    @BeforeEach
    void needs64BitJvm() {
        assumeTrue(Native.POINTER_SIZE == 8, "layouts are written for 64-bit; this JVM has "
                + Native.POINTER_SIZE + "-byte pointers");
    }

    @Test
    void ifreqIsNameThenSixteenByteUnion() {
        // net/if.h: char ifr_name[16]; union { struct sockaddr; short; int; caddr_t; ... } ifr_ifru;
        Ifreq r = new Ifreq();
        assertEquals(NetIf.SIZEOF_IFREQ, r.size());
        assertEquals(32, r.size());
        assertEquals(0, r.offsetOf("ifr_name"));
        assertEquals(16, r.offsetOf("ifr_ifru"));
        assertEquals(16, new Ifreq.IfreqUnion().size());
    }

    @Test
    void ifreqMtuAndFlagsLandAtTheStartOfTheUnion() {
        Ifreq r = Ifreq.named("tun0");
        r.setMtu(1400);
        r.write();
        assertEquals(1400, r.getPointer().getInt(16));
        assertEquals('t', r.getPointer().getByte(0));
        assertEquals(0, r.getPointer().getByte(4));
        Ifreq f = Ifreq.named("tun0");
        f.setFlags((short) 0x8011);
        f.write();
        assertEquals((short) 0x8011, f.getPointer().getShort(16));
        assertEquals((short) 0x8011, f.readFlags());
    }

    @Test
    void ctlInfoIsIdThenNinetySixByteName() {
        // sys/kern_control.h: u_int32_t ctl_id; char ctl_name[MAX_KCTL_NAME];
        CtlInfo c = CtlInfo.forName(IfUtun.UTUN_CONTROL_NAME);
        assertEquals(KernControl.SIZEOF_CTL_INFO, c.size());
        assertEquals(100, c.size());
        assertEquals(0, c.offsetOf("ctl_id"));
        assertEquals(4, c.offsetOf("ctl_name"));
        c.write();
        assertEquals(IfUtun.UTUN_CONTROL_NAME, c.getPointer().getString(4));
    }

    @Test
    void sockaddrCtlMatchesKernControlHeader() {
        // sys/kern_control.h: u_char sc_len; u_char sc_family; u_int16_t ss_sysaddr;
        //                     u_int32_t sc_id; u_int32_t sc_unit; u_int32_t sc_reserved[5];
        SockaddrCtl a = SockaddrCtl.of(0x1234, 7);
        assertEquals(KernControl.SIZEOF_SOCKADDR_CTL, a.size());
        assertEquals(0, a.offsetOf("sc_len"));
        assertEquals(1, a.offsetOf("sc_family"));
        assertEquals(2, a.offsetOf("ss_sysaddr"));
        assertEquals(4, a.offsetOf("sc_id"));
        assertEquals(8, a.offsetOf("sc_unit"));
        assertEquals(12, a.offsetOf("sc_reserved"));
        a.write();
        assertEquals(32, a.getPointer().getByte(0));
        assertEquals(SysSocket.AF_SYSTEM, a.getPointer().getByte(1));
        assertEquals(SysDomain.AF_SYS_CONTROL, a.getPointer().getShort(2));
        assertEquals(0x1234, a.getPointer().getInt(4));
        assertEquals(7, a.getPointer().getInt(8));
    }

    @Test
    void iovecIsPointerThenSize() {
        // sys/uio.h: void *iov_base; size_t iov_len;
        Iovec v = new Iovec();
        assertEquals(Iovec.SIZE, v.size());
        assertEquals(Iovec.OFFSET_BASE, v.offsetOf("iov_base"));
        assertEquals(Iovec.OFFSET_LEN, v.offsetOf("iov_len"));
    }

    @Test
    void pollfdIsIntThenTwoShorts() {
        // poll.h: int fd; short events; short revents;
        PollFd p = new PollFd();
        assertEquals(PollFd.SIZE, p.size());
        assertEquals(PollFd.OFFSET_FD, p.offsetOf("fd"));
        assertEquals(PollFd.OFFSET_EVENTS, p.offsetOf("events"));
        assertEquals(PollFd.OFFSET_REVENTS, p.offsetOf("revents"));
    }
}
