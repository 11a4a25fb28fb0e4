package dev.kedge.edge.console.internal;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import org.apache.sshd.server.Environment;

/** The client's character set from its locale ({@code LC_CTYPE=en_US.UTF-8}), UTF-8 when it sends none or junk. */
final class Encodings {
    private Encodings() {
    }

    static Charset of(Environment env) {
        String ctype = env.getEnv().get("LC_CTYPE");
        if (ctype == null || ctype.indexOf('.') < 0) {
            return StandardCharsets.UTF_8;
        }
        String name = ctype.substring(ctype.indexOf('.') + 1);
        int modifier = name.indexOf('@');
        name = modifier >= 0 ? name.substring(0, modifier) : name;
        try {
            return Charset.forName(name);
        } catch (IllegalArgumentException unknown) {
            return StandardCharsets.UTF_8;
        }
    }
}
