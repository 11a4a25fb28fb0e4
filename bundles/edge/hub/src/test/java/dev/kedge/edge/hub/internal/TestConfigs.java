package dev.kedge.edge.hub.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/** {@link EdgeHubConfig} instances as DS would make them: given values, the annotation's defaults for the rest. */
final class TestConfigs {
    private TestConfigs() {
    }

    static EdgeHubConfig config(Map<String, ?> values) {
        return (EdgeHubConfig) Proxy.newProxyInstance(EdgeHubConfig.class.getClassLoader(),
                new Class<?>[] {EdgeHubConfig.class}, (proxy, method, args) -> {
                    Object v = values.get(method.getName());
                    if (v == null) {
                        return method.getDefaultValue();
                    }
                    return method.getReturnType() == int.class ? Integer.valueOf(v.toString()) : v.toString();
                });
    }
}
