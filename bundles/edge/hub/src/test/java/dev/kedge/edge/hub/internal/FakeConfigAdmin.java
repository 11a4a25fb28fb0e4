package dev.kedge.edge.hub.internal;

import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** ConfigurationAdmin holding one configuration in memory and recording every update of it. */
public final class FakeConfigAdmin {
    public final Hashtable<String, Object> properties = new Hashtable<>();
    public final List<Map<String, Object>> updates = new CopyOnWriteArrayList<>();

    public FakeConfigAdmin(Map<String, ?> initial) {
        properties.putAll(initial);
    }

    public ConfigurationAdmin service() {
        Configuration config = (Configuration) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Configuration.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getProperties" -> new Hashtable<>(properties);
                    case "getPid" -> EdgeHubComponent.PID;
                    case "update" -> {
                        if (args != null && args.length == 1) {
                            @SuppressWarnings("unchecked")
                            Dictionary<String, Object> d = (Dictionary<String, Object>) args[0];
                            properties.clear();
                            for (var keys = d.keys(); keys.hasMoreElements();) {
                                String k = keys.nextElement();
                                properties.put(k, d.get(k));
                            }
                            updates.add(Map.copyOf(properties));
                        }
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (ConfigurationAdmin) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ConfigurationAdmin.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConfiguration")) {
                        return config;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
