package dev.kedge.core.monitor;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where a {@link MetricSource} writes its samples. Names follow Prometheus: {@code [a-zA-Z_:][a-zA-Z0-9_:]*}; a
 * counter's name ends in {@code _total} (the writer adds it when missing). Labels come as name/value pairs. Samples of
 * one name may come from several calls and sources; they are grouped under one {@code # HELP}/{@code # TYPE}.
 */
@ProviderType
public interface MetricWriter {

    /** A value that only goes up while the module runs (frames sent, writes committed). */
    MetricWriter counter(String name, String help, double value, String... labels);

    /** A value that goes up and down (queue depth, connections now). */
    MetricWriter gauge(String name, String help, double value, String... labels);
}
