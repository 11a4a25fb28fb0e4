package dev.kedge.edge.broker.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.Map;

import dev.kedge.core.net.internal.AcceptorImpl;
import dev.kedge.core.testing.TestScheduler;

/** A config annotation instance: the annotation's defaults, overridden by {@code values}. */
final class Configs {
    /** core's shared scheduler as the broker's tests get it: daemon threads, living as long as the test JVM. */
    static final TestScheduler SCHEDULER = new TestScheduler();
    /** core's accept thread, likewise. */
    static final AcceptorImpl ACCEPTOR = new AcceptorImpl();

    private Configs() {
    }

    /** The broker component as SCR activates it. */
    static BrokerComponent broker(BrokerConfig config) {
        return new BrokerComponent(config, SCHEDULER, ACCEPTOR);
    }

    /** The broker component configured with {@code values} over the defaults, checked to be running. */
    static BrokerComponent running(Map<String, Object> values) {
        BrokerComponent b = broker(of(BrokerConfig.class, values));
        assertTrue(b.stats().running(), b.stats().error());
        return b;
    }

    static <A> A of(Class<A> type, Map<String, Object> values) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, args) -> {
            if (values.containsKey(m.getName())) {
                return values.get(m.getName());
            }
            if (m.getDefaultValue() != null) {
                return m.getDefaultValue();
            }
            return switch (m.getName()) {
                case "annotationType" -> type;
                case "toString" -> type.getSimpleName() + values;
                case "hashCode" -> System.identityHashCode(p);
                case "equals" -> p == args[0];
                default -> throw new IllegalStateException("no value for " + m.getName());
            };
        }));
    }
}
