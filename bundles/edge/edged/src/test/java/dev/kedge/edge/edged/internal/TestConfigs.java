package dev.kedge.edge.edged.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/** {@link EdgedConfig} instances as DS would make them: given values, the annotation's defaults for the rest. */
final class TestConfigs {
    private TestConfigs() {
    }

    static EdgedConfig config(Map<String, ?> values) {
        return (EdgedConfig) Proxy.newProxyInstance(EdgedConfig.class.getClassLoader(),
                new Class<?>[] {EdgedConfig.class}, (proxy, method, args) -> {
                    Object v = values.get(method.getName());
                    if (v == null) {
                        return method.getDefaultValue();
                    }
                    return method.getReturnType() == int.class ? Integer.valueOf(v.toString()) : v.toString();
                });
    }
}
