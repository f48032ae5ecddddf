package io.mlvpn.core.loop;

/** Keeps the producer index off the cache lines of the slot array reference and mask. */
abstract class RingPad1 extends RingSlots {
    long a00;
    long a01;
    long a02;
    long a03;
    long a04;
    long a05;
    long a06;
    long a07;
    long a08;
    long a09;
    long a10;
    long a11;
    long a12;
    long a13;
    long a14;
    long a15;

    RingPad1(int requestedCapacity) {
        super(requestedCapacity);
    }
}
