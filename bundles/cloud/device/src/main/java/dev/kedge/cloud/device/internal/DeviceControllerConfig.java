package dev.kedge.cloud.device.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** KubeEdge's deviceController settings (cloudcore.yaml modules.deviceController: buffer, load), plus Kedge's own. */
@ObjectClassDefinition(name = "Kedge DeviceController", description = "Devices and device models to edge nodes; reported twins and state to the API server")
public @interface DeviceControllerConfig {

    @AttributeDefinition(name = "Install CRDs", description = "Create the devices.kubeedge.io CRDs (devices, devicemodels, devicestatuses) when missing; existing ones are left alone")
    boolean installCrds() default true;

    @AttributeDefinition(name = "Event queue", description = "Informer events waiting for the downstream worker (KubeEdge buffer.deviceEvent 1, deviceModelEvent 1; bounded here)")
    int eventQueueSize() default 10_000;

    @AttributeDefinition(name = "Event enqueue timeout (ms)", description = "How long an informer thread waits for room; then the event is dropped and a resync of all devices is scheduled")
    int eventEnqueueTimeoutMs() default 5000;

    @AttributeDefinition(name = "Pending reports", description = "Devices with reports waiting to be written (KubeEdge buffer.updateDeviceTwins 1024); reports for one device coalesce, latest value wins")
    int maxPendingReports() default 1024;

    @AttributeDefinition(name = "Status workers", description = "Threads writing reports to the API server, never two on one device (KubeEdge load.updateDeviceStatusWorkers, default 1; 8 here: each waits on the API server, and at 100 reports/s two writes per device round must overlap to stay well under a second)")
    int updateDeviceStatusWorkers() default 8;

    @AttributeDefinition(name = "Conflict retries", description = "Attempts per status write when the Device changed under us (HTTP 409)")
    int conflictRetries() default 5;

    @AttributeDefinition(name = "Twin cloud updates", description = "Also send desired values as twin/cloud_updated messages with versions (KubeEdge's twin path, which DeviceTwin still serves); the Device object carries them too")
    boolean twinCloudUpdates() default true;

    @AttributeDefinition(name = "Ledger wait (s)", description = "Wait this long for the ObjectSync ledger to sync before the first sends")
    int ledgerWaitSeconds() default 30;
}
