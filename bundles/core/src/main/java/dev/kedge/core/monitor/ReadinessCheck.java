package dev.kedge.core.monitor;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One condition of {@code /readyz}, registered as an OSGi service with the property {@link #NAME}. The monitor asks
 * every registered check and, besides, requires the names its configuration lists to be present (a module that is not
 * running is not ready). Like {@link MetricSource}, {@link #check} answers from kept state, without I/O.
 */
@ConsumerType
public interface ReadinessCheck {

    /** Service property naming the check, e.g. {@code cloudhub}, {@code kube}, {@code edgehub}. */
    String NAME = "kedge.readiness";

    Readiness check();
}
