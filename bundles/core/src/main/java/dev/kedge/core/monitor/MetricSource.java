package dev.kedge.core.monitor;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A module's metrics, read at every scrape. Register it as an OSGi service; the monitor calls {@link #collect} from
 * its own thread, so it must return at once from state the module already keeps (counters, queue sizes), without I/O.
 */
@ConsumerType
public interface MetricSource {

    /** Writes this module's current values. Names are Prometheus names: {@code kedge_<module>_<what>}. */
    void collect(MetricWriter out);
}
