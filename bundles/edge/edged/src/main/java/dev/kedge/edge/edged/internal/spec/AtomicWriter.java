package dev.kedge.edge.edged.internal.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Kubelet's atomic writer for projected volumes (configMap, secret, downwardAPI, projected): the payload goes into a
 * fresh hidden directory {@code ..<timestamp>}, the {@code ..data} symlink is swapped to it with one rename, and each
 * top-level name is a symlink through {@code ..data}. A reader therefore sees the old set of files or the new one,
 * never a mix. Nothing is written when the payload equals what is there.
 */
final class AtomicWriter {
    static final String DATA = "..data";
    private static final String DATA_TMP = "..data_tmp";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy_MM_dd_HH_mm_ss");
    private static final AtomicLong SEQUENCE = new AtomicLong();

    /** One file of the payload: its bytes and its permission bits (e.g. 0644). */
    record File(byte[] data, int mode) {
        @Override
        public boolean equals(Object o) {
            return o instanceof File f && f.mode == mode && Arrays.equals(f.data, data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data) * 31 + mode;
        }
    }

    private AtomicWriter() {
    }

    /**
     * Rejects what kubelet rejects: empty, absolute, a {@code ..} element, or a first element starting with {@code ..}
     * (that would collide with the writer's own names).
     */
    static String validatePath(String path) throws PodSpecException {
        if (path == null || path.isEmpty() || path.length() > 4096) {
            throw new PodSpecException(PodSpecException.CONFIG_ERROR, "invalid volume item path \"" + path + "\"");
        }
        if (path.startsWith("/")) {
            throw new PodSpecException(PodSpecException.CONFIG_ERROR,
                    "volume item path \"" + path + "\" must be relative");
        }
        String[] parts = path.split("/", -1);
        for (String p : parts) {
            if (p.equals("..") || p.isEmpty() && parts.length > 1) {
                throw new PodSpecException(PodSpecException.CONFIG_ERROR,
                        "volume item path \"" + path + "\" must not contain '..' or empty elements");
            }
        }
        if (parts[0].startsWith("..")) {
            throw new PodSpecException(PodSpecException.CONFIG_ERROR,
                    "volume item path \"" + path + "\" must not start with '..'");
        }
        return path;
    }

    /** Writes {@code payload} (relative path → file) into {@code target}; returns whether anything changed. */
    static boolean write(Path target, SortedMap<String, File> payload) throws IOException, PodSpecException {
        for (String p : payload.keySet()) {
            validatePath(p);
        }
        Files.createDirectories(target);
        Path data = target.resolve(DATA);
        Path oldDir = null;
        if (Files.isSymbolicLink(data)) {
            oldDir = target.resolve(Files.readSymbolicLink(data));
            if (read(oldDir).equals(payload)) {
                return false;
            }
        }
        String stamp = ".." + LocalDateTime.now(ZoneOffset.UTC).format(STAMP) + "." + System.nanoTime() + "_"
                + SEQUENCE.incrementAndGet();
        Path newDir = target.resolve(stamp);
        Files.createDirectory(newDir, permissionsAttribute(0755));
        for (Map.Entry<String, File> e : payload.entrySet()) {
            Path file = newDir.resolve(e.getKey());
            Files.createDirectories(file.getParent());
            Files.write(file, e.getValue().data());
            Files.setPosixFilePermissions(file, permissions(e.getValue().mode()));
        }
        Set<String> names = new HashSet<>();
        for (String p : payload.keySet()) {
            names.add(p.split("/", 2)[0]);
        }
        for (String name : names) {
            Path link = target.resolve(name);
            if (!Files.isSymbolicLink(link)) {
                if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                    deleteTree(link);
                }
                Files.createSymbolicLink(link, Path.of(DATA, name));
            }
        }
        Path tmp = target.resolve(DATA_TMP);
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, Path.of(stamp));
        Files.move(tmp, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (Stream<Path> entries = Files.list(target)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                String n = p.getFileName().toString();
                if (!n.startsWith("..") && !names.contains(n)) {
                    deleteTree(p);
                }
            }
        }
        if (oldDir != null && !oldDir.equals(newDir)) {
            deleteTree(oldDir);
        }
        return true;
    }

    /** The payload currently under a timestamped directory (empty when it is missing). */
    private static SortedMap<String, File> read(Path dir) throws IOException {
        SortedMap<String, File> out = new TreeMap<>();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return out;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(dir.relativize(f).toString(), new File(Files.readAllBytes(f),
                            mode(Files.getPosixFilePermissions(f, LinkOption.NOFOLLOW_LINKS))));
                }
            }
        }
        return out;
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> out = new HashSet<>();
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_READ};
        for (int i = 0; i < order.length; i++) {
            if ((mode & (1 << i)) != 0) {
                out.add(order[i]);
            }
        }
        return out;
    }

    static FileAttribute<Set<PosixFilePermission>> permissionsAttribute(int mode) {
        return PosixFilePermissions.asFileAttribute(permissions(mode));
    }

    static int mode(Set<PosixFilePermission> perms) {
        int m = 0;
        for (PosixFilePermission p : perms) {
            m |= 1 << (8 - p.ordinal());
        }
        return m;
    }

    /** Deletes a file, a symlink (not what it points to) or a directory tree; missing is fine. */
    static void deleteTree(Path p) throws IOException {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> children = Files.list(p)) {
                for (Path c : (Iterable<Path>) children::iterator) {
                    deleteTree(c);
                }
            }
        }
        try {
            Files.delete(p);
        } catch (NoSuchFileException e) {
            // already gone
        }
    }
}
