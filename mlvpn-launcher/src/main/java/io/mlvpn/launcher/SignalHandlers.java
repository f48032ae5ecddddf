package io.mlvpn.launcher;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Installs handlers for POSIX signals ({@code TERM}, {@code INT}, {@code HUP}) through the JDK's
 * only signal hook, {@code sun.misc.Signal} of the {@code jdk.unsupported} module.
 *
 * <p>This is the one class that touches it, and it does so <b>reflectively</b> (the handler is a
 * {@link Proxy} of {@code sun.misc.SignalHandler}): naming {@code sun.misc} types in source draws
 * a compiler warning that cannot be suppressed, and the build fails on any warning. When the
 * class is missing or a signal is reserved by the JVM (for example under {@code -Xrs}), the
 * signal is reported as not installed; nothing throws.
 *
 * <p>A handler runs on a JVM signal-dispatch thread: it must return quickly, so the launcher's
 * handlers only queue a request for the main thread. Stateless; safe for concurrent use.
 */
final class SignalHandlers {
    private SignalHandlers() {
    }

    /**
     * Installs one handler per signal name ({@code "TERM"}, {@code "HUP"}, ...), replacing the
     * JVM's own (for {@code TERM} and {@code INT}: the shutdown that runs shutdown hooks).
     *
     * @param handlers signal name (without {@code SIG}) to the action run when it arrives
     * @return one line per signal that could not be handled and why; empty when all were installed
     */
    static List<String> install(Map<String, Runnable> handlers) {
        List<String> problems = new ArrayList<>();
        Class<?> signalClass;
        Class<?> handlerInterface;
        Constructor<?> newSignal;
        Method handle;
        try {
            signalClass = Class.forName("sun.misc.Signal");
            handlerInterface = Class.forName("sun.misc.SignalHandler");
            newSignal = signalClass.getConstructor(String.class);
            handle = signalClass.getMethod("handle", signalClass, handlerInterface);
        } catch (ReflectiveOperationException | LinkageError e) {
            for (String name : handlers.keySet()) {
                problems.add("SIG" + name + ": sun.misc.Signal is not available (" + e + ")");
            }
            return problems;
        }
        for (Map.Entry<String, Runnable> e : handlers.entrySet()) {
            String name = e.getKey();
            try {
                Object signal = newSignal.newInstance(name);
                Object handler = Proxy.newProxyInstance(SignalHandlers.class.getClassLoader(),
                        new Class<?>[] {handlerInterface}, new Dispatch(name, e.getValue()));
                handle.invoke(null, signal, handler);
            } catch (InvocationTargetException ex) {
                // IllegalArgumentException: unknown signal, or one the JVM keeps for itself.
                problems.add("SIG" + name + ": " + ex.getCause().getMessage());
            } catch (ReflectiveOperationException | RuntimeException ex) {
                problems.add("SIG" + name + ": " + ex);
            }
        }
        return problems;
    }

    /** The proxy's behaviour: {@code handle(Signal)} runs the action; Object methods behave. */
    private static final class Dispatch implements InvocationHandler {
        private final String name;
        private final Runnable action;

        Dispatch(String name, Runnable action) {
            this.name = name;
            this.action = Objects.requireNonNull(action, "action");
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) {
            switch (method.getName()) {
                case "handle":
                    action.run();
                    return null;
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == args[0];
                case "toString":
                    return "SignalHandler[SIG" + name + "]";
                default:
                    throw new UnsupportedOperationException(method.getName());
            }
        }
    }
}
