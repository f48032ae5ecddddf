package io.mlvpn.core.loop;

/** Keeps the producer index and the consumer index on different cache lines. */
abstract class RingPad2 extends RingProducerIndex {
    long b00;
    long b01;
    long b02;
    long b03;
    long b04;
    long b05;
    long b06;
    long b07;
    long b08;
    long b09;
    long b10;
    long b11;
    long b12;
    long b13;
    long b14;
    long b15;

    RingPad2(int requestedCapacity) {
        super(requestedCapacity);
    }
}
