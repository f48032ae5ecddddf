package io.mlvpn.testkit.lab;

import java.util.function.BooleanSupplier;

/** Waits on an observable condition for the relay tests. */
final class TestWait {
    private TestWait() {
    }

    /** Polls {@code condition} every millisecond; fails naming {@code what} after 5 s. */
    static void until(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after 5 s waiting for " + what);
            }
            // Polling a counter another thread bumps: nothing to block on.
            Thread.sleep(1);
        }
    }
}
