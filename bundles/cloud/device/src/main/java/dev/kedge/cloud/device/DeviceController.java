package dev.kedge.cloud.device;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/** The cloud's DeviceController, for the shell and diagnostics. */
@ProviderType
public interface DeviceController {

    /** Every Device the informer knows, sorted by namespace/name. */
    List<DeviceInfo> devices();

    /** Named counters (sends, reports, refusals, API errors) and report → status latency figures. */
    Map<String, Long> counters();
}
