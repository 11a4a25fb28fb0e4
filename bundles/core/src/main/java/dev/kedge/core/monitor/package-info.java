/**
 * Health and metrics as a whiteboard: a module registers {@link dev.kedge.core.monitor.MetricSource} and
 * {@link dev.kedge.core.monitor.ReadinessCheck} services; the monitor (feature {@code kedge-cloud-monitor} or
 * {@code kedge-edge-monitor}) serves them on {@code /metrics} and {@code /readyz} without knowing the modules.
 */
@Export
@Version("1.0.0")
package dev.kedge.core.monitor;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
