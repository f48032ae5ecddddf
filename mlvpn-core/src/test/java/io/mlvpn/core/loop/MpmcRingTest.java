package io.mlvpn.core.loop;

import org.junit.jupiter.api.Test;

class MpmcRingTest extends RingContractTest {

    @Override
    TestRing newRing(int requestedCapacity) {
        return TestRing.of(new MpmcRing<>(requestedCapacity));
    }

    @Override
    int smallestCapacity() {
        return 2;
    }

    @Test
    void twoProducersTwoConsumersReceiveEveryItemExactlyOnce() throws InterruptedException {
        new ConcurrentRingTester(newRing(64), 2, 2, 200_000).run();
    }
}
