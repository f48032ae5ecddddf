package io.mlvpn.api.scheduler;

/**
 * The links a scheduler chooses among, in configuration order. The set of links is fixed between
 * two calls of {@link Scheduler#linksChanged}; their measurements are live.
 */
public interface LinkSet {

    /** Number of links. */
    int size();

    /** Link {@code i}, {@code 0 <= i < size()}. */
    LinkView get(int i);
}
