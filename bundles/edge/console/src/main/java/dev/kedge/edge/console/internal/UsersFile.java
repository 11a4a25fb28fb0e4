package dev.kedge.edge.console.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Karaf's etc/users.properties ({@code user = password,role,...}), whose clear-text passwords are replaced by their
 * digest in Karaf's form ({@code {CRYPT}HEX{CRYPT}}, what its login module checks). Karaf does this with a thread that
 * watches etc/ (two, with their inotify threads, after a reconfiguration); here it is done when the file changed since
 * the last look, checked at the edge's start and before each login: a stat, nothing while nobody logs in.
 * Comments, groups ({@code _g_\:name}), hashed entries and the file's permissions are kept; an entry with a backslash
 * in its password (a properties escape) or continued on the next line is left as it is, with a warning.
 */
final class UsersFile {
    private static final Logger LOG = LoggerFactory.getLogger(UsersFile.class);
    static final String MARK = "{CRYPT}";

    final LongAdder hashed = new LongAdder();
    private final Path file;
    private final String digest;
    private FileTime seen; // guarded by this

    UsersFile(Path file, String digest) {
        this.file = file;
        this.digest = digest;
    }

    /** Hashes what is in clear text, if the file changed since the last call; returns how many entries it hashed. */
    synchronized int hashClearText() {
        if (digest.isEmpty()) {
            return 0;
        }
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            if (modified.equals(seen)) {
                return 0;
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            List<String> out = new ArrayList<>(lines.size());
            int n = 0;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                String replaced = hashedLine(line, i + 1);
                n += replaced.equals(line) ? 0 : 1;
                out.add(replaced);
            }
            if (n > 0) {
                write(out);
                hashed.add(n);
                LOG.info("{}: {} clear-text password(s) replaced by their {} digest", file, n, digest);
            }
            seen = Files.getLastModifiedTime(file);
            return n;
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            LOG.warn("{}: clear-text passwords not hashed: {}", file, e.toString());
            return 0;
        }
    }

    private String hashedLine(String line, int number) {
        String t = line.stripLeading();
        if (t.isEmpty() || t.startsWith("#") || t.startsWith("!") || t.startsWith("_g_\\:") || t.startsWith("_g_:")) {
            return line;
        }
        int sep = separator(t);
        if (sep < 0) {
            return line;
        }
        int start = sep + 1;
        while (start < t.length() && Character.isWhitespace(t.charAt(start))) {
            start++;
        }
        int comma = t.indexOf(',', start);
        int end = comma < 0 ? t.length() : comma;
        String password = t.substring(start, end).strip();
        if (password.isEmpty() || password.startsWith(MARK)) {
            return line;
        }
        if (password.indexOf('\\') >= 0 || t.endsWith("\\")) {
            LOG.warn("{} line {}: a password with a backslash or continued on the next line is left in clear text;"
                    + " write its digest as {}HEX{}", file, number, MARK, MARK);
            return line;
        }
        String indent = line.substring(0, line.length() - t.length());
        return indent + t.substring(0, start) + MARK + hex(password) + MARK + t.substring(end);
    }

    /** The key ends at the first unescaped '=', ':' or blank (java.util.Properties' rule). */
    private static int separator(String t) {
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '=' || c == ':' || Character.isWhitespace(c)) {
                int j = i;
                while (j < t.length() && Character.isWhitespace(t.charAt(j))) {
                    j++;
                }
                return j < t.length() && (t.charAt(j) == '=' || t.charAt(j) == ':') ? j : i;
            }
        }
        return -1;
    }

    private String hex(String password) {
        try {
            byte[] d = MessageDigest.getInstance(digest).digest(password.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().withUpperCase().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(digest, e); // checked by ConsoleSettings
        }
    }

    /** Beside the file, then moved over it: a crash leaves the old file or the new one, with the old permissions. */
    private void write(List<String> lines) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, lines, StandardCharsets.ISO_8859_1);
        PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (posix != null) {
            Files.setPosixFilePermissions(tmp, posix.readAttributes().permissions());
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
