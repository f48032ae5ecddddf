package io.mlvpn.core.scheduler;

import io.mlvpn.api.scheduler.Scheduler;
import java.util.List;

/** Creates the engine's schedulers by their configuration names. */
public final class Schedulers {
    /** The names {@link #create} knows, the default first. */
    public static final List<String> NAMES = List.of("adaptive", "wrr", "earliest-arrival", "redundant");

    private Schedulers() {
    }

    /**
     * A new scheduler.
     *
     * @param name {@code adaptive} ({@link AdaptiveScheduler}), {@code wrr}
     *     ({@link WeightedRoundRobinScheduler}), {@code earliest-arrival}
     *     ({@link EarliestArrivalScheduler}) or {@code redundant} ({@link RedundantScheduler})
     * @param redundantCopies links per packet for {@code redundant}, 2 or more; ignored by the others
     * @throws IllegalArgumentException for another name, or {@code redundant} with fewer than 2 copies
     */
    public static Scheduler create(String name, int redundantCopies) {
        switch (name) {
            case "adaptive":
                return new AdaptiveScheduler();
            case "wrr":
                return new WeightedRoundRobinScheduler();
            case "earliest-arrival":
                return new EarliestArrivalScheduler();
            case "redundant":
                return new RedundantScheduler(redundantCopies);
            default:
                throw new IllegalArgumentException("unknown scheduler \"" + name + "\"; known: " + String.join(", ", NAMES));
        }
    }
}
