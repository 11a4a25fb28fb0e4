package dev.kedge.device.host.internal;

import dev.kedge.device.driver.Driver;

/** A driver service as bound: its protocol, the bundle that registered it, its service id (new after an update). */
record DriverBinding(Driver driver, String protocol, String bundle, long serviceId) {
}
