package io.mlvpn.core;

import static io.mlvpn.core.testing.TunnelPair.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mlvpn.core.session.HandshakeKey;
import io.mlvpn.core.session.HandshakeResponder;
import io.mlvpn.core.session.TestInits;
import io.mlvpn.core.testing.TunnelPair;
import io.mlvpn.core.wire.Header;
import io.mlvpn.core.wire.PacketType;
import io.mlvpn.testkit.lab.Impairment;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What each end of a tunnel counts of its handshakes (issue 13: the lab's replay scenario). */
class HandshakeCountTest {

    @Test
    void theServerCountsTheSessionsItEstablishesAsTheClientDoes() throws Exception {
        try (TunnelPair pair = TunnelPair.start(1, b -> b, b -> b.rekeyInterval(Duration.ofSeconds(5)))) {
            pair.awaitAllUp(10_000);
            await(() -> pair.client.stats().handshakes() >= 2, 15_000, "a rekey");
            long client = pair.client.stats().handshakes();
            // The server's count follows once the client's first packet under the newest session arrived.
            await(() -> pair.server.stats().handshakes() >= client, 5_000,
                    "the server counting the " + client + " sessions the client counts");
            long server = pair.server.stats().handshakes();
            long clientAfter = pair.client.stats().handshakes();
            assertTrue(server <= clientAfter, "the server counts " + server + ", the client " + clientAfter);
        }
    }

    @Test
    void copiesOfTheOfferJustAcceptedAreAnsweredAtMostOncePerIntervalAndCounted() throws Exception {
        try (TunnelPair pair = TunnelPair.start(1); DatagramChannel attacker = DatagramChannel.open(StandardProtocolFamily.INET)) {
            pair.awaitAllUp(10_000);
            attacker.bind(new InetSocketAddress("127.0.0.1", 0));
            InetSocketAddress server = new InetSocketAddress("127.0.0.1", pair.server.config().links().get(0).bindPort());
            // An authentic offer, as recorded from a client: accepted once, then replayed.
            byte[] init = TestInits.init(HandshakeKey.derive(TunnelPair.key(7)), 81,
                    System.currentTimeMillis() * 1000L, 1, 0);
            ByteBuffer answer = ByteBuffer.allocate(256);
            attacker.send(ByteBuffer.wrap(init), server);
            attacker.receive(answer);
            assertEquals(PacketType.HANDSHAKE_RESPONSE, Header.type(answer.array(), 0), "the offer answered");
            attacker.configureBlocking(false);
            int copies = 200;
            long start = System.nanoTime();
            for (int i = 0; i < copies; i++) {
                attacker.send(ByteBuffer.wrap(init), server);
            }
            long[] answers = {0};
            await(() -> {
                try {
                    answer.clear();
                    while (attacker.receive(answer) != null) {
                        answers[0]++;
                        answer.clear();
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return answers[0] + pair.server.stats().handshakeResendsUnanswered() >= copies;
            }, 5_000, "every copy answered or counted");
            long elapsed = System.nanoTime() - start;
            long unanswered = pair.server.stats().handshakeResendsUnanswered();
            assertEquals(copies, answers[0] + unanswered, answers[0] + " answered, " + unanswered + " counted");
            long limit = 1 + elapsed / HandshakeResponder.RESEND_INTERVAL_NANOS;
            assertTrue(answers[0] <= limit, answers[0] + " copies answered in " + elapsed / 1_000_000L
                    + " ms, at most " + limit + " allowed");
        }
    }

    @Test
    void theClientCountsTheAnswersToAnOfferItAlreadyTook() throws Exception {
        try (TunnelPair pair = TunnelPair.start(2, b -> b, b -> b.rekeyInterval(Duration.ofSeconds(5)))) {
            pair.awaitAllUp(10_000);
            long before = pair.client.stats().handshakeAnswersUnsolicited();
            // The rekey offer goes on both links at once; link 1's answer comes 200 ms after link 0's.
            pair.relays.get(0).impair(Impairment.NONE, Impairment.builder().delay(Duration.ofMillis(100)).build());
            pair.relays.get(1).impair(Impairment.NONE, Impairment.builder().delay(Duration.ofMillis(300)).build());
            long handshakes = pair.client.stats().handshakes();
            await(() -> pair.client.stats().handshakes() > handshakes, 10_000, "a rekey");
            await(() -> pair.client.stats().handshakeAnswersUnsolicited() > before, 3_000,
                    "the answer on the other link counted");
            for (var l : pair.client.stats().links()) {
                assertEquals(0, l.dropsAuth(), "link " + l.name() + ": the other link's answer taken for an attack");
            }
        }
    }
}
