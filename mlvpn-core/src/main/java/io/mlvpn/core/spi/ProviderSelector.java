package io.mlvpn.core.spi;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the providers of one SPI with {@link ServiceLoader} and chooses one for a requirement,
 * explaining the choice when none fits: the common part of {@code DeviceProviders} and
 * {@code TransportProviders}, which each supply only a {@link Kind} and an
 * {@link UnloadableProvider} subclass. Immutable; safe for concurrent use. Internal to the engine:
 * public only because two of its packages share it.
 *
 * @param <P> the provider type
 * @param <R> what a provider must support (a device type, a transport configuration)
 */
public final class ProviderSelector<P, R> {
    /** Gives up on a broken service file after this many errors. */
    private static final int MAX_LOAD_ERRORS = 64;

    /**
     * What the selector needs to know about one SPI: the provider interface's own accessors, given
     * as method references (every SPI has the same five), the stand-in for a provider that failed
     * to load (an {@link UnloadableProvider} subclass), and, as methods, the wording of messages,
     * which differs per SPI. Subclasses are stateless.
     *
     * @param <P> the provider type
     * @param <R> the requirement type
     */
    public abstract static class Kind<P, R> {
        private final Class<P> type;
        private final String noun;
        private final BiFunction<String, String, P> unloadable;
        private final Function<P, String> name;
        private final ToIntFunction<P> priority;
        private final Predicate<P> isAvailable;
        private final Function<P, String> unavailabilityCause;
        private final BiPredicate<P, R> supports;

        /**
         * An SPI's kind.
         *
         * @param type the provider interface, for {@link ServiceLoader}
         * @param noun a word for messages: {@code device}, {@code transport}
         * @param unloadable makes a stand-in for a provider that failed to load, from its name and
         *     the cause, unavailable with that cause
         * @param name the provider's name
         * @param priority its priority; higher wins
         * @param isAvailable whether it works here
         * @param unavailabilityCause why it does not
         * @param supports whether it can meet a requirement
         */
        protected Kind(Class<P> type, String noun, BiFunction<String, String, P> unloadable,
                Function<P, String> name, ToIntFunction<P> priority, Predicate<P> isAvailable,
                Function<P, String> unavailabilityCause, BiPredicate<P, R> supports) {
            this.type = Objects.requireNonNull(type, "type");
            this.noun = Objects.requireNonNull(noun, "noun");
            this.unloadable = Objects.requireNonNull(unloadable, "unloadable");
            this.name = Objects.requireNonNull(name, "name");
            this.priority = Objects.requireNonNull(priority, "priority");
            this.isAvailable = Objects.requireNonNull(isAvailable, "isAvailable");
            this.unavailabilityCause = Objects.requireNonNull(unavailabilityCause, "unavailabilityCause");
            this.supports = Objects.requireNonNull(supports, "supports");
        }

        /** Why a provider that does not support the requirement cannot meet it. */
        protected abstract String unsupported(R requirement);

        /** The requirement in words, after "no device provider for …". */
        protected abstract String describe(R requirement);

        /** What a named provider cannot open, after "… cannot open …". */
        protected abstract String target(R requirement);
    }

    private final Kind<P, R> kind;
    private final Comparator<P> order;
    private final Logger log;

    /** A selector for one SPI. */
    public ProviderSelector(Kind<P, R> kind, Logger log) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.log = Objects.requireNonNull(log, "log");
        Comparator<P> byPriority = Comparator.comparingInt(kind.priority);
        this.order = byPriority.reversed().thenComparing(kind.name);
    }

    /** A selector logging to this class's logger. */
    public ProviderSelector(Kind<P, R> kind) {
        this(kind, LoggerFactory.getLogger(ProviderSelector.class));
    }

    /** Priority descending, then name. */
    public Comparator<P> order() {
        return order;
    }

    /**
     * Every provider {@link ServiceLoader} finds through {@code loader}, sorted by {@link #order()}.
     * One that cannot be loaded stands in the list as an unavailable provider saying what failed.
     */
    public List<P> load(ClassLoader loader) {
        Objects.requireNonNull(loader, "loader");
        List<P> providers = new ArrayList<>();
        Iterator<ServiceLoader.Provider<P>> it = ServiceLoader.load(kind.type, loader).stream().iterator();
        int errors = 0;
        while (errors < MAX_LOAD_ERRORS) {
            ServiceLoader.Provider<P> candidate;
            try {
                if (!it.hasNext()) {
                    break;
                }
                candidate = it.next();
            } catch (ServiceConfigurationError e) {
                errors++;
                providers.add(unloadable("unloadable-" + errors, e));
                continue;
            }
            try {
                providers.add(candidate.get());
            } catch (ServiceConfigurationError | RuntimeException e) {
                errors++;
                providers.add(unloadable(candidate.type().getName(), e));
            }
        }
        providers.sort(order);
        if (log.isInfoEnabled()) {
            log.info("{} providers: {}", kind.noun, describe(providers));
        }
        return providers;
    }

    private P unloadable(String name, Throwable error) {
        log.warn("{} provider {} failed to load", kind.noun, name, error);
        return kind.unloadable.apply(name, "failed to load: " + messageOf(error));
    }

    /**
     * The provider named {@code requestedName} when given, otherwise the first in order that is
     * available and supports the requirement.
     *
     * @throws IOException naming every provider tried and why it did not fit
     */
    public P select(List<P> providers, R requirement, String requestedName) throws IOException {
        Objects.requireNonNull(requirement, "requirement");
        List<P> sorted = new ArrayList<>(providers);
        sorted.sort(order);
        if (requestedName != null) {
            return selectNamed(sorted, requirement, requestedName);
        }
        StringBuilder reasons = new StringBuilder();
        for (P provider : sorted) {
            String reason = whyNot(provider, requirement);
            if (reason == null) {
                return provider;
            }
            if (reasons.length() > 0) {
                reasons.append("; ");
            }
            reasons.append(kind.name.apply(provider)).append(": ").append(reason);
        }
        if (sorted.isEmpty()) {
            reasons.append("no providers on the class path");
        }
        throw new IOException("no " + kind.noun + " provider for " + kind.describe(requirement) + ": " + reasons);
    }

    private P selectNamed(List<P> sorted, R requirement, String name) throws IOException {
        StringBuilder known = new StringBuilder();
        for (P provider : sorted) {
            if (kind.name.apply(provider).equals(name)) {
                String reason = whyNot(provider, requirement);
                if (reason != null) {
                    throw new IOException(kind.noun + " provider " + name + " cannot open "
                            + kind.target(requirement) + ": " + reason);
                }
                return provider;
            }
            if (known.length() > 0) {
                known.append(", ");
            }
            known.append(kind.name.apply(provider));
        }
        throw new IOException("no " + kind.noun + " provider named \"" + name + "\"; "
                + (sorted.isEmpty() ? "no providers on the class path" : "known: " + known));
    }

    /** Why the provider cannot meet the requirement, or {@code null} when it can. */
    private String whyNot(P provider, R requirement) {
        try {
            if (!kind.isAvailable.test(provider)) {
                return kind.unavailabilityCause.apply(provider);
            }
            if (!kind.supports.test(provider, requirement)) {
                return kind.unsupported(requirement);
            }
            return null;
        } catch (RuntimeException e) {
            return "failed: " + messageOf(e);
        }
    }

    private String describe(List<P> providers) {
        if (providers.isEmpty()) {
            return "none";
        }
        StringBuilder s = new StringBuilder();
        for (P provider : providers) {
            if (s.length() > 0) {
                s.append(", ");
            }
            s.append(kind.name.apply(provider)).append(" (priority ").append(kind.priority.applyAsInt(provider))
                    .append(", ").append(availability(provider)).append(')');
        }
        return s.toString();
    }

    /** "available" or why not, never throwing: a broken probe must not stop the listing. */
    private String availability(P provider) {
        try {
            return kind.isAvailable.test(provider) ? "available" : kind.unavailabilityCause.apply(provider);
        } catch (RuntimeException e) {
            return "failed: " + messageOf(e);
        }
    }

    /** A one-line description of what went wrong, from the cause when there is one. */
    public static String messageOf(Throwable error) {
        Throwable cause = error.getCause() != null ? error.getCause() : error;
        String message = cause.getMessage();
        return message == null ? cause.getClass().getName() : cause.getClass().getSimpleName() + ": " + message;
    }
}
