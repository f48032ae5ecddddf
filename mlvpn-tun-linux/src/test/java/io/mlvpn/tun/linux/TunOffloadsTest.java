package io.mlvpn.tun.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.tun.linux.internal.Errno;
import io.mlvpn.tun.linux.internal.IfTun;
import io.mlvpn.tun.linux.internal.NativeIoException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The fallback decision, against a scripted fake of the three ioctls. */
class TunOffloadsTest {
    private static final short PLAIN = IfTun.IFF_TUN | IfTun.IFF_NO_PI;

    /** Fails the call named {@code failing} with {@code errno}; records every call. */
    private static final class FakeControl implements TunOffloads.Control {
        final List<String> calls = new ArrayList<>();
        final String failing;
        final int errno;

        FakeControl(String failing, int errno) {
            this.failing = failing;
            this.errno = errno;
        }

        private int call(String name) {
            calls.add(name);
            return name.startsWith(failing) ? errno : 0;
        }

        @Override
        public int attach(short flags) {
            return call("attach " + Integer.toHexString(flags));
        }

        @Override
        public int setVnetHeaderSize(int bytes) {
            return call("vnethdrsz " + bytes);
        }

        @Override
        public int setOffload(int flags) {
            return call("offload " + flags);
        }
    }

    @Test
    void aKernelThatAcceptsGetsEveryStep() throws Exception {
        FakeControl control = new FakeControl("none", 0);
        assertEquals(Optional.empty(), TunOffloads.enable(control, "mlvpn0", PLAIN));
        assertEquals(List.of("attach 5001", "vnethdrsz 10", "offload 7"), control.calls);
        FakeControl tap = new FakeControl("none", 0);
        assertEquals(Optional.empty(), TunOffloads.enable(tap, "tap0", (short) (IfTun.IFF_TAP | IfTun.IFF_NO_PI)));
        assertEquals(List.of("attach 5002", "vnethdrsz 10", "offload 7"), tap.calls, "the same steps for a tap");
    }

    @Test
    void einvalAtAnyStepFallsBackSayingWhichCall() throws Exception {
        String[] calls = {"ioctl(TUNSETIFF, \"mlvpn0\", IFF_TUN|IFF_NO_PI|IFF_VNET_HDR)",
            "ioctl(TUNSETVNETHDRSZ, \"mlvpn0\", 10)", "ioctl(TUNSETOFFLOAD, \"mlvpn0\", TUN_F_CSUM|TUN_F_TSO4|TUN_F_TSO6)"};
        String[] steps = {"attach", "vnethdrsz", "offload"};
        for (int i = 0; i < steps.length; i++) {
            FakeControl control = new FakeControl(steps[i], Errno.EINVAL);
            assertEquals(Optional.of("the kernel refused offloads (" + calls[i] + ": EINVAL); using a plain device"),
                    TunOffloads.enable(control, "mlvpn0", PLAIN), steps[i]);
            assertTrue(control.calls.get(control.calls.size() - 1).startsWith(steps[i]), "stops at " + steps[i]);
        }
    }

    @Test
    void anyOtherErrorIsAnIoExceptionNamingTheCall() {
        NativeIoException e = assertThrows(NativeIoException.class,
                () -> TunOffloads.enable(new FakeControl("offload", Errno.EPERM), "mlvpn0", PLAIN));
        assertTrue(e.getMessage().startsWith("ioctl(TUNSETOFFLOAD, \"mlvpn0\", TUN_F_CSUM|TUN_F_TSO4|TUN_F_TSO6): EPERM (errno 1)"),
                e.getMessage());
        NativeIoException busy = assertThrows(NativeIoException.class,
                () -> TunOffloads.enable(new FakeControl("attach", 16), "mlvpn0", PLAIN));
        assertTrue(busy.getMessage().startsWith("ioctl(TUNSETIFF, \"mlvpn0\", IFF_TUN|IFF_NO_PI|IFF_VNET_HDR): EBUSY"),
                busy.getMessage());
        NativeIoException tap = assertThrows(NativeIoException.class, () -> TunOffloads.enable(
                new FakeControl("attach", 16), "tap0", (short) (IfTun.IFF_TAP | IfTun.IFF_NO_PI)));
        assertTrue(tap.getMessage().startsWith("ioctl(TUNSETIFF, \"tap0\", IFF_TAP|IFF_NO_PI|IFF_VNET_HDR): EBUSY"),
                tap.getMessage());
    }
}
