package io.mlvpn.core.loop;

import org.junit.jupiter.api.Test;

class SpscRingTest extends RingContractTest {

    @Override
    TestRing newRing(int requestedCapacity) {
        return TestRing.of(new SpscRing<>(requestedCapacity));
    }

    @Test
    void oneProducerOneConsumerReceiveEveryItemInOrder() throws InterruptedException {
        new ConcurrentRingTester(newRing(64), 1, 1, 400_000).run();
    }
}
