package io.mlvpn.core.loop;

import org.junit.jupiter.api.Test;

class MpscRingTest extends RingContractTest {

    @Override
    TestRing newRing(int requestedCapacity) {
        return TestRing.of(new MpscRing<>(requestedCapacity));
    }

    @Test
    void threeProducersOneConsumerReceiveEveryItemOnceInProducerOrder() throws InterruptedException {
        new ConcurrentRingTester(newRing(64), 3, 1, 200_000).run();
    }
}
