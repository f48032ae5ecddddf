package io.mlvpn.core.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PathMtuProberTest {
    private static final int BASE = 1232;
    private static final int MAX = 1472;
    private static final long TIMEOUT = 200_000_000L;
    private static final long STEP = 10_000_000L;

    /** A path that carries datagrams up to {@code carries} bytes; runs the prober for a while. */
    private static final class Path {
        int carries;
        long now;
        int probesSent;
        /** False while nothing at all gets through (an outage). */
        boolean alive = true;
        long lastHeard;

        Path(int carries) {
            this.carries = carries;
        }

        void run(PathMtuProber p, long forNanos) {
            long end = now + forNanos;
            for (; now < end; now += STEP) {
                if (alive) {
                    lastHeard = now; // keepalives of every size but the largest get through
                }
                int size = p.due(now, TIMEOUT, lastHeard);
                if (size > 0) {
                    p.sent(size, now);
                    probesSent++;
                    if (alive && size <= carries) {
                        p.reported(size, now + STEP / 2);
                    }
                }
            }
        }
    }

    @Test
    void aPathThatCarriesTheMaximumKeepsItWithOneProbe() {
        PathMtuProber p = new PathMtuProber(BASE, MAX, 0);
        Path path = new Path(1500);
        path.run(p, PathMtuProber.CONFIRM_INTERVAL_NANOS - STEP);
        assertEquals(MAX, p.pathMtu());
        assertFalse(p.searching());
        assertEquals(0, p.changes());
        assertEquals(1, path.probesSent);
        path.run(p, PathMtuProber.CONFIRM_INTERVAL_NANOS);
        assertEquals(2, path.probesSent, "an idle link confirms its size once per interval");
    }

    @Test
    void aPppoePathIsFoundWithinTheGranularity() {
        PathMtuProber p = new PathMtuProber(BASE, MAX, 0);
        Path path = new Path(1492 - 28);
        path.run(p, 30_000_000_000L);
        assertFalse(p.searching());
        assertTrue(p.pathMtu() <= 1464 && p.pathMtu() > 1464 - PathMtuProber.GRANULARITY, "found " + p.pathMtu());
        assertEquals(2, p.changes(), "down to the base, then up to what was found");
    }

    @Test
    void aPathMtuThatDropsMidRunIsFoundAgain() {
        PathMtuProber p = new PathMtuProber(BASE, MAX, 0);
        Path path = new Path(1500);
        path.run(p, 2_000_000_000L);
        assertEquals(MAX, p.pathMtu());
        path.carries = 1400;
        path.run(p, PathMtuProber.CONFIRM_INTERVAL_NANOS + 20_000_000_000L);
        assertTrue(p.pathMtu() <= 1400 && p.pathMtu() > 1400 - PathMtuProber.GRANULARITY, "found " + p.pathMtu());
    }

    @Test
    void trafficOfTheCurrentSizeSavesTheConfirmationProbe() {
        PathMtuProber p = new PathMtuProber(BASE, MAX, 0);
        Path path = new Path(1500);
        path.run(p, 1_000_000_000L);
        int probes = path.probesSent;
        for (int i = 0; i < 30; i++) {
            p.reported(MAX, path.now);
            path.run(p, 1_000_000_000L);
        }
        assertEquals(probes, path.probesSent, "full-size data confirmed the size");
    }

    @Test
    void aLowerPathIsRaisedAgainWhenItGrows() {
        PathMtuProber p = new PathMtuProber(BASE, MAX, 0);
        Path path = new Path(1300);
        path.run(p, 30_000_000_000L);
        assertTrue(p.pathMtu() < 1300);
        path.carries = 1500;
        path.run(p, PathMtuProber.RAISE_INTERVAL_NANOS);
        assertEquals(MAX, p.pathMtu());
    }

    @Test
    void aPathBelowTheBaseStaysAtTheBase() {
        PathMtuProber p = new PathMtuProber(BASE, MAX, 0);
        Path path = new Path(1000);
        path.run(p, 60_000_000_000L);
        assertEquals(BASE, p.pathMtu());
        assertFalse(p.searching());
    }

    @Test
    void aFailedRaiseChangesNothing() {
        PathMtuProber p = new PathMtuProber(BASE, MAX, 0);
        Path path = new Path(1300);
        path.run(p, 30_000_000_000L);
        int found = p.pathMtu();
        int changes = p.changes();
        path.run(p, PathMtuProber.RAISE_INTERVAL_NANOS + 5_000_000_000L);
        assertEquals(found, p.pathMtu());
        assertEquals(changes, p.changes());
    }

    @Test
    void refusesABaseAboveTheMaximum() {
        assertThrows(IllegalArgumentException.class, () -> new PathMtuProber(1500, 1400, 0));
        assertThrows(IllegalArgumentException.class, () -> new PathMtuProber(0, 1400, 0));
    }

    @Test
    void anOutageOfTheWholeLinkIsNotTakenForASmallerPath() {
        PathMtuProber p = new PathMtuProber(BASE, MAX, 0);
        Path path = new Path(1500);
        path.run(p, 1_000_000_000L);
        path.alive = false;
        path.run(p, 3 * PathMtuProber.CONFIRM_INTERVAL_NANOS);
        path.alive = true;
        path.run(p, 2_000_000_000L);
        assertEquals(MAX, p.pathMtu());
        assertEquals(0, p.changes(), "nothing was lost for its size");
    }
}
