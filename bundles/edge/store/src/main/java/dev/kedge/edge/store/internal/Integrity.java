package dev.kedge.edge.store.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import dev.kedge.edge.store.IntegrityResult;

/** {@code PRAGMA integrity_check}, and moving a corrupt file aside. */
final class Integrity {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final String[] SIDE_FILES = {"-wal", "-shm", "-journal"};

    private Integrity() {
    }

    /** Runs the check on {@code c}; SQLite's "this is not a database / is malformed" errors count as problems. */
    static IntegrityResult check(Connection c) throws SQLException {
        Instant at = Instant.now();
        long t0 = System.nanoTime();
        List<String> problems = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            while (rs.next()) {
                String line = rs.getString(1);
                if (!"ok".equalsIgnoreCase(line)) {
                    problems.add(line);
                }
            }
        } catch (SQLException e) {
            if (!isCorruption(e)) {
                throw e;
            }
            problems.add(e.getMessage());
        }
        return new IntegrityResult(problems, at, (System.nanoTime() - t0) / 1_000_000);
    }

    /** True for the errors that mean a damaged file, not a busy or unreadable one. */
    static boolean isCorruption(SQLException e) {
        if (e instanceof SQLiteException se) {
            SQLiteErrorCode code = se.getResultCode();
            return code == SQLiteErrorCode.SQLITE_CORRUPT || code == SQLiteErrorCode.SQLITE_NOTADB
                    || code.name().startsWith("SQLITE_CORRUPT_");
        }
        return false;
    }

    /** Renames {@code file} (and its -wal/-shm) to {@code <file>.corrupt-<UTC time>}; returns the new name. */
    static Path quarantine(Path file) throws IOException {
        String stamp = STAMP.format(Instant.now());
        Path target = file.resolveSibling(file.getFileName() + ".corrupt-" + stamp);
        for (int i = 1; Files.exists(target); i++) {
            target = file.resolveSibling(file.getFileName() + ".corrupt-" + stamp + "-" + i);
        }
        Files.move(file, target);
        for (String side : SIDE_FILES) {
            Path from = file.resolveSibling(file.getFileName() + side);
            if (Files.exists(from)) {
                Files.move(from, target.resolveSibling(target.getFileName() + side));
            }
        }
        return target;
    }
}
