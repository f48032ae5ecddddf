package io.mlvpn.core.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StampsTest {
    private static final long MS = 1_000_000L;

    @Test
    void rttIsTimeSinceThePeerStampMinusHold() {
        long sentAt = 10_000 * MS;
        int stamp = Stamps.of(sentAt);
        // Peer receives 20 ms later (one way), holds 300 ms, echoes; we receive 20 ms later.
        long peerReceived = sentAt + 20 * MS;
        long peerSends = peerReceived + 300 * MS;
        int echo = Stamps.echo(stamp, peerReceived, peerSends, true);
        assertEquals(40_050, Stamps.rttMicros(echo, peerSends + 20 * MS));
    }

    @Test
    void wrapsAroundSixtyFiveThousandUnits() {
        long sentAt = 65_530 * Stamps.NANOS_PER_UNIT;
        int echo = Stamps.echo(Stamps.of(sentAt), sentAt, sentAt, true);
        assertEquals(1_050, Stamps.rttMicros(echo, sentAt + MS));
    }

    @Test
    void noEchoWithoutAStampOrAfterAHoldOverOneSecond() {
        assertEquals(Header.NO_ECHO, Stamps.echo(5, 0, 0, false));
        assertEquals(Header.NO_ECHO, Stamps.echo(5, 0, 1_001 * MS, true));
        assertEquals(-1, Stamps.rttMicros(Header.NO_ECHO, 0));
    }

    @Test
    void implausibleSamplesAreDiscarded() {
        int echo = Stamps.of(0);
        assertEquals(-1, Stamps.rttMicros(echo, 5_100 * MS));
    }

    @Test
    void anEchoThatWouldReadAsNoneMovesOneUnit() {
        assertEquals(0xFFFE, Stamps.echo(0xFFFF, 0, 0, true));
    }
}
