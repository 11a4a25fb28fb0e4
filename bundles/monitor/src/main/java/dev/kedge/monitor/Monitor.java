package dev.kedge.monitor;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

import dev.kedge.core.monitor.Readiness;

/** The HTTP endpoint serving {@code /healthz}, {@code /readyz} and {@code /metrics}, as operators see it. */
@ProviderType
public interface Monitor {

    MonitorStatus status();

    /** Every readiness check by name, required ones that are missing included (as not ready). */
    Map<String, Readiness> readiness();

    /** What {@code /metrics} would answer now. */
    String metrics();
}
