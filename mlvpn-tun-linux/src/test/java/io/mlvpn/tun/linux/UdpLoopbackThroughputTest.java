package io.mlvpn.tun.linux;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mlvpn.tun.linux.internal.NativeSupport;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@link UdpLoopbackThroughput} working: a short run of every case must move datagrams.
 * It prints the figures but asserts no speed (a shared machine makes short timings meaningless;
 * run the program's {@code main} for the real comparison).
 */
class UdpLoopbackThroughputTest {

    @Test
    void everyCaseMovesDatagrams() throws Exception {
        assumeTrue(NativeSupport.isAvailable(), NativeSupport::unavailabilityCause);
        for (UdpLoopbackThroughput.Case c : UdpLoopbackThroughput.Case.values()) {
            UdpLoopbackThroughput.Result r = UdpLoopbackThroughput.measure(c, 100, 200);
            System.out.printf(Locale.ROOT, "%s: %.0f packets/s received, %.0f sent (short run, indicative only)%n",
                    c.label, r.receivedPerSecond(), r.sentPerSecond());
            assertTrue(r.receivedPerSecond() > 0, c.label + " received nothing");
            assertTrue(r.sentPerSecond() > 0, c.label + " sent nothing");
        }
    }
}
