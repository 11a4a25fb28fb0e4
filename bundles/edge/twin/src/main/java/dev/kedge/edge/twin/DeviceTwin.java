package dev.kedge.edge.twin;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** Read access to DeviceTwin's devices, twins and counters. Messages go through the bus, not here. */
@ProviderType
public interface DeviceTwin {

    /** The member devices of this node, ordered by id. */
    List<DeviceSummary> devices();

    /** The twins of a device (by id, or by name when that is unique), ordered by name; empty when unknown. */
    List<TwinEntry> twins(String device);

    TwinStats stats();
}
