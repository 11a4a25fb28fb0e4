package dev.kedge.device.modbus.internal;

import java.util.Locale;

import dev.kedge.device.driver.Channel;

/**
 * KubeEdge's v1beta1 Modbus visitor configData: {@code register} (CoilRegister, DiscreteInputRegister,
 * HoldingRegister, InputRegister), {@code offset}, {@code limit}, {@code scale}, {@code isSwap} (bytes within a
 * register), {@code isRegisterSwap} (register order), {@code dataType} (int, float, double, boolean, string; default:
 * the model's type), {@code max}/{@code min} (bounds for written values).
 */
record Visitor(Register register, int offset, int limit, double scale, boolean swapBytes, boolean swapRegisters,
        String dataType, Double min, Double max) {

    enum Register {
        COIL(2000, true), DISCRETE_INPUT(2000, false), HOLDING(125, true), INPUT(125, false);

        final int maxCount;
        final boolean writable;

        Register(int maxCount, boolean writable) {
            this.maxCount = maxCount;
            this.writable = writable;
        }

        boolean bits() {
            return this == COIL || this == DISCRETE_INPUT;
        }
    }

    /** @throws IllegalArgumentException saying which key is wrong and why */
    static Visitor of(Channel c) {
        String reg = c.config("register", null);
        if (reg == null) {
            throw new IllegalArgumentException("visitor has no register (CoilRegister, DiscreteInputRegister,"
                    + " HoldingRegister, InputRegister)");
        }
        Register r = switch (reg.toLowerCase(Locale.ROOT)) {
            case "coilregister", "coil" -> Register.COIL;
            case "discreteinputregister", "discreteinput" -> Register.DISCRETE_INPUT;
            case "holdingregister", "holding" -> Register.HOLDING;
            case "inputregister", "input" -> Register.INPUT;
            default -> throw new IllegalArgumentException("unknown register type '" + reg + "' (CoilRegister,"
                    + " DiscreteInputRegister, HoldingRegister, InputRegister)");
        };
        int offset = integer(c, "offset", 0);
        int limit = integer(c, "limit", 1);
        if (offset < 0 || offset > 65535) {
            throw new IllegalArgumentException("offset " + offset + " out of range 0..65535");
        }
        if (limit < 1 || limit > r.maxCount) {
            throw new IllegalArgumentException("limit " + limit + " out of range 1.." + r.maxCount + " for " + reg);
        }
        if (offset + limit > 65536) {
            throw new IllegalArgumentException("offset " + offset + " + limit " + limit + " passes address 65535");
        }
        String type = c.config("dataType", c.type().isEmpty() ? (r.bits() ? "boolean" : "int") : c.type())
                .toLowerCase(Locale.ROOT);
        switch (type) {
            case "int", "integer", "float", "double", "boolean", "string" -> { }
            default -> throw new IllegalArgumentException("unknown dataType '" + type
                    + "' (int, float, double, boolean, string)");
        }
        if (!r.bits() && ("float".equals(type) || "double".equals(type)) && limit != 1 && limit != 2
                && limit != 4) {
            throw new IllegalArgumentException("dataType " + type + " needs limit 1 (a scaled 16-bit integer), 2"
                    + " (IEEE 32 bits) or 4 (IEEE 64 bits), not " + limit);
        }
        if (!r.bits() && ("int".equals(type) || "integer".equals(type)) && limit != 1 && limit != 2 && limit != 4) {
            throw new IllegalArgumentException("dataType int needs limit 1, 2 or 4, not " + limit);
        }
        double scale = number(c, "scale", 1);
        if (scale == 0) {
            scale = 1; // KubeEdge treats an unset scale as 1
        }
        return new Visitor(r, offset, limit, scale, bool(c, "isSwap"), bool(c, "isRegisterSwap"), type,
                c.config("min", null) == null ? null : number(c, "min", 0),
                c.config("max", null) == null ? null : number(c, "max", 0));
    }

    private static int integer(Channel c, String key, int fallback) {
        String v = c.config(key, null);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " '" + v + "' is not an integer");
        }
    }

    private static double number(Channel c, String key, double fallback) {
        String v = c.config(key, null);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " '" + v + "' is not a number");
        }
    }

    private static boolean bool(Channel c, String key) {
        String v = c.config(key, "false");
        if (!"true".equalsIgnoreCase(v) && !"false".equalsIgnoreCase(v)) {
            throw new IllegalArgumentException(key + " '" + v + "' is not true or false");
        }
        return Boolean.parseBoolean(v.toLowerCase(Locale.ROOT));
    }
}
