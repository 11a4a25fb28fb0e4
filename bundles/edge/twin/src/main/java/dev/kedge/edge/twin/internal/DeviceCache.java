package dev.kedge.edge.twin.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The member devices in memory (KubeEdge's {@code DeviceList}), loaded from SQLite at start. All access holds this
 * object's lock; the module thread changes it before queueing the write, so later messages see the new state.
 */
final class DeviceCache {
    private final Map<String, DeviceRecord> devices = new TreeMap<>();

    synchronized void replaceAll(Map<String, DeviceRecord> loaded) {
        devices.clear();
        devices.putAll(loaded);
    }

    /**
     * By id; else, for a mapper of another release, the device whose name is the id's name part, if only one has
     * it ({@code <name>} ids come from v1.15 clouds, {@code <namespace>/<name>} from v1.17+).
     */
    synchronized DeviceRecord find(String id) {
        DeviceRecord d = devices.get(id);
        if (d != null) {
            return d;
        }
        String name = id.substring(id.indexOf('/') + 1);
        DeviceRecord match = null;
        for (DeviceRecord c : devices.values()) {
            if (c.name.equals(name) || c.id.equals(name)) {
                if (match != null) {
                    return null; // ambiguous
                }
                match = c;
            }
        }
        return match;
    }

    synchronized void put(DeviceRecord d) {
        devices.put(d.id, d);
    }

    synchronized void remove(String id) {
        devices.remove(id);
    }

    synchronized List<DeviceRecord> all() {
        return new ArrayList<>(devices.values());
    }

    synchronized int size() {
        return devices.size();
    }
}
