package dev.kedge.edge.twin.internal;

/** KubeEdge's {@code dtcommon.ValidateValue}: whether a twin value fits the twin's {@code metadata.type}. */
final class ValueTypes {
    private ValueTypes() {
    }

    /** Null when the value fits, else KubeEdge's reason. */
    static String check(String type, String value) {
        String v = value == null ? "" : value;
        switch (type == null ? "" : type) {
            case "", "string", "bytes", "deleted" -> {
                return null;
            }
            case "int", "integer" -> {
                try {
                    Long.parseLong(v);
                    return null;
                } catch (NumberFormatException e) {
                    return "the value is not int or integer";
                }
            }
            case "float", "double" -> {
                try {
                    Double.parseDouble(v);
                    return v.isBlank() || v.endsWith("d") || v.endsWith("f") || v.endsWith("D") || v.endsWith("F")
                            ? "the value is not float" : null;
                } catch (NumberFormatException e) {
                    return "the value is not float";
                }
            }
            case "boolean" -> {
                return "true".equals(v) || "false".equals(v) ? null : "the bool value must be true or false";
            }
            default -> {
                return "the value type is not allowed " + type;
            }
        }
    }
}
