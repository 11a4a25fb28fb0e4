package dev.kedge.edge.logging.internal;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of Log4j 2's pattern layout that Karaf's log files use: {@code %d{ISO8601|ABSOLUTE|DEFAULT|pattern}},
 * {@code %p}, {@code %t}, {@code %c{n}}, {@code %X{key}}, {@code %m}, {@code %n}, {@code %throwable},
 * {@code %encode{...}{CRLF}} and {@code %highlight{...}} / {@code %style{...}} (their text, without colours), with
 * Log4j's padding and truncation ({@code %-5p}, {@code %.30c} keeps the end, {@code %.-500m} the start). Anything else
 * is written as it stands. As in Log4j, a pattern without a throwable converter gets the stack trace after the line.
 */
final class PatternLayout {
    private interface Part {
        void format(Event e, StringBuilder out);
    }

    private final List<Part> parts;
    private final boolean handlesThrowable;

    PatternLayout(String pattern) {
        Parser p = new Parser(pattern);
        this.parts = p.parse(false);
        this.handlesThrowable = p.sawThrowable;
    }

    String format(Event e) {
        StringBuilder out = new StringBuilder(160);
        for (Part p : parts) {
            p.format(e, out);
        }
        if (!handlesThrowable && e.thrown() != null) {
            appendThrowable(e, out);
        }
        return out.toString();
    }

    private static void appendThrowable(Event e, StringBuilder out) {
        for (String line : e.getThrowableStrRep()) {
            out.append(line).append(System.lineSeparator());
        }
    }

    private static final class Parser {
        private final String s;
        private int i;
        boolean sawThrowable;

        Parser(String s) {
            this.s = s;
        }

        /** Parts up to the end, or up to the '}' closing a nested pattern. */
        List<Part> parse(boolean nested) {
            List<Part> parts = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            while (i < s.length()) {
                char c = s.charAt(i);
                if (nested && c == '}') {
                    break;
                }
                if (c == '\\' && i + 1 < s.length()) {
                    char n = s.charAt(i + 1);
                    text.append(n == 'n' ? "\n" : n == 't' ? "\t" : String.valueOf(n));
                    i += 2;
                } else if (c != '%' || i + 1 >= s.length()) {
                    text.append(c);
                    i++;
                } else if (s.charAt(i + 1) == '%') {
                    text.append('%');
                    i += 2;
                } else {
                    literal(text, parts);
                    parts.add(conversion());
                }
            }
            literal(text, parts);
            return parts;
        }

        /** The text gathered so far as one part, if any. */
        private static void literal(StringBuilder text, List<Part> parts) {
            if (text.length() > 0) {
                String t = text.toString();
                parts.add((e, out) -> out.append(t));
                text.setLength(0);
            }
        }

        private Part conversion() {
            int start = i;
            i++; // '%'
            boolean left = false;
            if (i < s.length() && s.charAt(i) == '-') {
                left = true;
                i++;
            }
            int min = number();
            int max = Integer.MAX_VALUE;
            boolean keepStart = false;
            if (i < s.length() && s.charAt(i) == '.') {
                i++;
                if (i < s.length() && s.charAt(i) == '-') {
                    keepStart = true;
                    i++;
                }
                max = number();
            }
            int nameStart = i;
            while (i < s.length() && Character.isLetter(s.charAt(i))) {
                i++;
            }
            String name = s.substring(nameStart, i);
            Part part = switch (name) {
                case "d", "date" -> date(option());
                case "p", "level" -> {
                    option(); // {FATAL=…} label maps: the plain names are written
                    yield (e, out) -> out.append(e.level().name());
                }
                case "t", "thread", "tn", "threadName" -> (e, out) -> out.append(e.getThreadName());
                case "c", "logger", "C", "class" -> logger(option());
                case "X", "mdc", "MDC" -> mdc(option());
                case "m", "msg", "message" -> {
                    option();
                    yield (e, out) -> out.append(e.getRenderedMessage());
                }
                case "n" -> (e, out) -> out.append(System.lineSeparator());
                case "ex", "exception", "throwable", "xEx", "xThrowable", "rEx", "rThrowable" -> {
                    option();
                    sawThrowable = true;
                    yield (e, out) -> {
                        if (e.thrown() != null) {
                            appendThrowable(e, out);
                        }
                    };
                }
                case "enc", "encode" -> encode();
                case "highlight", "style" -> nestedThenOption();
                default -> null;
            };
            if (part == null) { // not ours: written as it stands
                String literal = s.substring(start, i);
                return (e, out) -> out.append(literal);
            }
            return min == 0 && max == Integer.MAX_VALUE ? part : padded(part, left, min, max, keepStart);
        }

        private int number() {
            int n = 0;
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                n = n * 10 + (s.charAt(i++) - '0');
            }
            return n;
        }

        /** The text of a {...} after a converter, or null. */
        private String option() {
            if (i >= s.length() || s.charAt(i) != '{') {
                return null;
            }
            int depth = 0;
            int start = i + 1;
            for (; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '{') {
                    depth++;
                } else if (c == '}' && --depth == 0) {
                    return s.substring(start, i++);
                }
            }
            return s.substring(start);
        }

        private Part encode() {
            List<Part> inner = nested();
            String how = option();
            boolean crlf = how == null || how.equalsIgnoreCase("CRLF");
            return (e, out) -> {
                StringBuilder b = new StringBuilder();
                inner.forEach(p -> p.format(e, b));
                if (!crlf) {
                    out.append(b);
                    return;
                }
                for (int k = 0; k < b.length(); k++) {
                    char c = b.charAt(k);
                    out.append(c == '\r' ? "\\r" : c == '\n' ? "\\n" : String.valueOf(c));
                }
            };
        }

        private Part nestedThenOption() {
            List<Part> inner = nested();
            option(); // colours
            return (e, out) -> inner.forEach(p -> p.format(e, out));
        }

        private List<Part> nested() {
            if (i >= s.length() || s.charAt(i) != '{') {
                return List.of();
            }
            i++;
            List<Part> inner = parse(true);
            if (i < s.length()) {
                i++; // '}'
            }
            return inner;
        }
    }

    private static Part padded(Part part, boolean left, int min, int max, boolean keepStart) {
        return (e, out) -> {
            int from = out.length();
            part.format(e, out);
            int len = out.length() - from;
            if (len > max) {
                if (keepStart) {
                    out.setLength(from + max);
                } else {
                    out.delete(from, from + len - max);
                }
                len = max;
            }
            for (int pad = len; pad < min; pad++) {
                if (left) {
                    out.append(' ');
                } else {
                    out.insert(from, ' ');
                }
            }
        };
    }

    private static Part date(String option) {
        String o = option == null ? "DEFAULT" : option;
        String p = switch (o) {
            case "ISO8601" -> "yyyy-MM-dd'T'HH:mm:ss,SSS";
            case "ISO8601_BASIC" -> "yyyyMMdd'T'HHmmss,SSS";
            case "ABSOLUTE" -> "HH:mm:ss,SSS";
            case "DEFAULT" -> "yyyy-MM-dd HH:mm:ss,SSS";
            case "COMPACT" -> "yyyyMMddHHmmssSSS";
            default -> o.replace("\\", "");
        };
        DateTimeFormatter f;
        try {
            f = DateTimeFormatter.ofPattern(p).withZone(ZoneId.systemDefault());
        } catch (IllegalArgumentException bad) {
            f = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss,SSS").withZone(ZoneId.systemDefault());
        }
        DateTimeFormatter formatter = f;
        return (e, out) -> formatter.formatTo(Instant.ofEpochMilli(e.getTimeStamp()), out);
    }

    private static Part logger(String option) {
        int keep = 0;
        try {
            keep = option == null ? 0 : Integer.parseInt(option.strip());
        } catch (NumberFormatException ignored) {
            keep = 0; // other abbreviations: the full name
        }
        int parts = keep;
        return (e, out) -> {
            String name = e.getLoggerName();
            if (parts > 0) {
                int cut = name.length();
                for (int k = 0; k < parts && cut > 0; k++) {
                    cut = name.lastIndexOf('.', cut - 1);
                }
                name = cut < 0 ? name : name.substring(cut + 1);
            }
            out.append(name);
        };
    }

    private static Part mdc(String key) {
        return (e, out) -> {
            if (key == null) {
                out.append(e.getProperties());
            } else {
                Object v = e.getProperties().get(key);
                out.append(v == null ? "" : v);
            }
        };
    }
}
