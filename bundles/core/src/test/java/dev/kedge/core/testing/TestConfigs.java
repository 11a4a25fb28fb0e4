package dev.kedge.core.testing;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * Config annotation instances as DS makes them: the given values (converted to each attribute's type, as DS
 * converts a .cfg file's strings), the annotation's defaults for the rest. Tests build components through this, so
 * the defaults they run with are the annotation's, never a copy.
 */
public final class TestConfigs {
    private TestConfigs() {
    }

    public static <A> A of(Class<A> type) {
        return of(type, Map.of());
    }

    public static <A> A of(Class<A> type, Map<String, ?> values) {
        for (String key : values.keySet()) {
            try {
                type.getMethod(key);
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException(type.getSimpleName() + " has no attribute " + key);
            }
        }
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, args) -> {
            if (values.containsKey(m.getName())) {
                return convert(m, values.get(m.getName()));
            }
            if (m.getDefaultValue() != null) {
                return m.getDefaultValue();
            }
            return switch (m.getName()) {
                case "annotationType" -> type;
                case "toString" -> type.getSimpleName() + values;
                case "hashCode" -> System.identityHashCode(p);
                case "equals" -> p == args[0];
                default -> throw new IllegalStateException(type.getSimpleName() + "." + m.getName() + " has no value");
            };
        }));
    }

    private static Object convert(Method m, Object v) {
        Class<?> t = m.getReturnType();
        if (t.isInstance(v) || v == null) {
            return v;
        }
        String s = v.toString().trim();
        if (t == int.class) {
            return Integer.valueOf(s);
        }
        if (t == long.class) {
            return Long.valueOf(s);
        }
        if (t == boolean.class) {
            return Boolean.valueOf(s);
        }
        if (t == double.class) {
            return Double.valueOf(s);
        }
        if (t == String.class) {
            return v.toString();
        }
        if (t == String[].class) {
            return s.isEmpty() ? new String[0] : s.split("\\s*,\\s*");
        }
        throw new IllegalArgumentException("cannot convert " + v + " to " + t + " for " + m.getName());
    }
}
