package dev.kedge.edge.edged.internal.spec;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * hostPath volumes: the {@code type} checks and creations kubelet's hostPath plugin does. {@code DirectoryOrCreate}
 * makes the directory (0755, with parents); {@code FileOrCreate} makes an empty file (0644) but not its parent.
 */
final class HostPaths {
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;

    private HostPaths() {
    }

    static Path check(String volume, String pathText, String type) throws PodSpecException {
        if (pathText.isEmpty() || !pathText.startsWith("/")) {
            throw failed(volume, "hostPath \"" + pathText + "\" must be an absolute path");
        }
        Path path = Path.of(pathText).normalize();
        try {
            switch (type) {
                case "":
                    return path;
                case "DirectoryOrCreate":
                    if (!Files.exists(path)) {
                        Files.createDirectories(path, AtomicWriter.permissionsAttribute(0755));
                    } else if (!Files.isDirectory(path)) {
                        throw failed(volume, "hostPath type check failed: " + path + " is not a directory");
                    }
                    return path;
                case "Directory":
                    if (!Files.isDirectory(path)) {
                        throw failed(volume, "hostPath type check failed: " + path + " is not a directory");
                    }
                    return path;
                case "FileOrCreate":
                    if (!Files.exists(path)) {
                        try {
                            Files.createFile(path, AtomicWriter.permissionsAttribute(0644));
                        } catch (FileAlreadyExistsException e) {
                            // created by someone else meanwhile
                        }
                    } else if (!Files.isRegularFile(path)) {
                        throw failed(volume, "hostPath type check failed: " + path + " is not a file");
                    }
                    return path;
                case "File":
                    if (!Files.isRegularFile(path)) {
                        throw failed(volume, "hostPath type check failed: " + path + " is not a file");
                    }
                    return path;
                case "Socket":
                    return special(volume, path, S_IFSOCK, "socket");
                case "CharDevice":
                    return special(volume, path, S_IFCHR, "character device");
                case "BlockDevice":
                    return special(volume, path, S_IFBLK, "block device");
                default:
                    throw failed(volume, "hostPath type \"" + type + "\" is not supported");
            }
        } catch (IOException e) {
            throw failed(volume, "hostPath " + path + ": " + e);
        }
    }

    private static Path special(String volume, Path path, int kind, String what) throws PodSpecException, IOException {
        if (!Files.exists(path)) {
            throw failed(volume, "hostPath type check failed: " + path + " does not exist");
        }
        Object mode = Files.getAttribute(path, "unix:mode");
        if (!(mode instanceof Integer m) || (m & S_IFMT) != kind) {
            throw failed(volume, "hostPath type check failed: " + path + " is not a " + what);
        }
        return path;
    }

    private static PodSpecException failed(String volume, String message) {
        return new PodSpecException(PodSpecException.CONFIG_ERROR, "volume \"" + volume + "\": " + message);
    }
}
