package dev.kedge.edge.logging.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The log file, appended to and flushed per event (what a kill -9 leaves is complete), rolled over by size: at
 * {@code maxBytes} it becomes {@code <file>.1}, the older ones move up to {@code <file>.<maxBackups>} and the oldest
 * goes. An I/O error is printed once to stderr and counted; logging goes on (the next event tries again).
 */
final class RollingFile implements AutoCloseable {
    private final Path file;
    private final long maxBytes;
    private final int maxBackups;
    private OutputStream out; // guarded by this
    private long size; // guarded by this
    private long failures; // guarded by this
    private boolean closed; // guarded by this

    RollingFile(Path file, long maxBytes, int maxBackups) {
        this.file = file;
        this.maxBytes = maxBytes;
        this.maxBackups = Math.max(0, maxBackups);
    }

    boolean sameAs(LogConfig c) {
        return file.equals(c.file()) && maxBytes == c.maxBytes() && maxBackups == c.maxBackups();
    }

    /** False once closed (replaced by a reconfiguration, or the bundle stopped): the caller writes elsewhere. */
    synchronized boolean write(String text) {
        if (closed) {
            return false;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try {
            if (out == null) {
                open();
            } else if (size > 0 && size + bytes.length > maxBytes) {
                roll();
            }
            out.write(bytes);
            out.flush();
            size += bytes.length;
        } catch (IOException | RuntimeException e) {
            if (failures++ == 0) {
                System.err.println("Kedge logging: cannot write " + file + ": " + e);
            }
            closeQuietly();
        }
        return true;
    }

    synchronized long failures() {
        return failures;
    }

    private void open() throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        size = Files.size(file);
    }

    private void roll() throws IOException {
        closeQuietly();
        if (maxBackups == 0) {
            Files.deleteIfExists(file);
        } else {
            Files.deleteIfExists(backup(maxBackups));
            for (int n = maxBackups - 1; n >= 1; n--) {
                if (Files.exists(backup(n))) {
                    Files.move(backup(n), backup(n + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(file, backup(1), StandardCopyOption.REPLACE_EXISTING);
        }
        open();
    }

    private Path backup(int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    private void closeQuietly() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // a file we could not write to: nothing more to say about it
            }
            out = null;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        closeQuietly();
    }
}
