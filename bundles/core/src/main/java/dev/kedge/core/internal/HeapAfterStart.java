package dev.kedge.core.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.PlatformManagedObject;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;


import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.SharedScheduler;

/**
 * Lowers the JVM's soft heap limit once the start is over, when the launcher asks for it with the framework or
 * system property {@value #PROPERTY} (the edge's {@code bin/setenv} does). A start allocates fast: with the soft
 * limit at {@code -Xmx}, Shenandoah runs few cycles and the start takes less CPU. Idle, a lower one makes it collect
 * before the heap has grown by a quarter of {@code -Xmx}, so less heap stays committed between cycles.
 * {@code SoftMaxHeapSize} is a manageable flag (JMX, no restart); only Shenandoah and ZGC heed it.
 */
@Component(immediate = true)
public final class HeapAfterStart {
    static final String PROPERTY = "kedge.softMaxHeapAfterStart";
    /** After the edge's start: node registration, the first pod and device syncs. */
    static final Duration DELAY = Duration.ofSeconds(30);
    private static final String FLAG = "SoftMaxHeapSize";
    /** In module jdk.management; not imported, so that the bundle resolves on a JVM without it. */
    private static final String DIAGNOSTIC = "com.sun.management.HotSpotDiagnosticMXBean";
    private static final Logger LOG = LoggerFactory.getLogger(HeapAfterStart.class);

    private final ScheduledFuture<?> pending;

    @Activate
    public HeapAfterStart(@Reference SharedScheduler scheduler, BundleContext context) {
        this(scheduler, context.getProperty(PROPERTY));
    }

    HeapAfterStart(SharedScheduler scheduler, String value) {
        ScheduledFuture<?> task = null;
        if (value != null && !value.isBlank()) {
            try {
                long bytes = bytes(value);
                task = scheduler.schedule("soft heap limit", () -> apply(bytes), DELAY);
            } catch (IllegalArgumentException e) {
                LOG.error("{} = '{}' ignored: {}", PROPERTY, value, e.getMessage());
            }
        }
        this.pending = task;
    }

    @Deactivate
    void deactivate() {
        if (pending != null) {
            pending.cancel(false);
        }
    }

    /**
     * Sets the flag; false, with the JVM's reason logged, where it cannot be set. Through the HotSpot diagnostic
     * MXBean alone, looked up by name: the platform MBean server would register every platform MBean (about 230
     * classes and their objects, for the rest of the JVM's life) to set one flag.
     */
    static boolean apply(long bytes) {
        try {
            Class<?> type = ClassLoader.getPlatformClassLoader().loadClass(DIAGNOSTIC);
            Object bean = ManagementFactory.getPlatformMXBean(type.asSubclass(PlatformManagedObject.class));
            type.getMethod("setVMOption", String.class, String.class).invoke(bean, FLAG, Long.toString(bytes));
            LOG.info("soft heap limit now {} MiB ({}), after the start", bytes >> 20, PROPERTY);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            Throwable cause = e instanceof InvocationTargetException && e.getCause() != null ? e.getCause() : e;
            LOG.warn("cannot lower the soft heap limit to {} bytes ({}): {}", bytes, PROPERTY, cause.toString());
            return false;
        }
    }

    /** "25165824", "24m", "24M", "512k", "1g". */
    static long bytes(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        int shift = switch (v.charAt(v.length() - 1)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        String digits = shift == 0 ? v : v.substring(0, v.length() - 1);
        long n;
        try {
            n = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a size (bytes, or a number with k, m or g)");
        }
        if (n <= 0 || n > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("size out of range");
        }
        return n << shift;
    }
}
