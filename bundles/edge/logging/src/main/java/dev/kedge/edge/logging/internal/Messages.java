package dev.kedge.edge.logging.internal;

import java.util.Arrays;
import java.util.IllegalFormatException;
import java.util.Locale;

/** Message formatting: SLF4J's {@code {}} placeholders, or printf's for a {@code FormatterLogger}. */
final class Messages {
    private Messages() {
    }

    /**
     * {@code {}} replaced by the arguments in turn ({@code \{}} is a literal); a trailing Throwable that no
     * placeholder takes is the event's exception, not text. SLF4J's facade formats before it calls, so a message
     * with one Throwable argument arrives here with no placeholder left.
     */
    static String slf4j(String format, Object[] args, boolean lastIsThrowable) {
        if (format == null || args.length == 0 || format.indexOf('{') < 0) {
            return format;
        }
        int usable = lastIsThrowable && args.length == 1 ? 0 : args.length;
        StringBuilder out = new StringBuilder(format.length() + 32);
        int arg = 0;
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i);
            if (c == '\\' && format.startsWith("{}", i + 1)) {
                out.append("{}");
                i += 3;
            } else if (c == '{' && i + 1 < format.length() && format.charAt(i + 1) == '}' && arg < usable) {
                out.append(text(args[arg++]));
                i += 2;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    static String printf(String format, Object[] args) {
        if (format == null || args.length == 0) {
            return format;
        }
        try {
            return String.format(Locale.ROOT, format, args);
        } catch (IllegalFormatException e) {
            return format + " " + Arrays.deepToString(args);
        }
    }

    private static String text(Object o) {
        if (o instanceof Object[] a) {
            return Arrays.deepToString(a);
        }
        try {
            return String.valueOf(o);
        } catch (RuntimeException e) {
            return "[" + o.getClass().getName() + ".toString() threw " + e + "]";
        }
    }
}
