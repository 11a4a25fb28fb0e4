package dev.kedge.edge.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsersFileTest {
    /** SHA-256 of "secret", as Karaf's basic encryption writes it (uppercase hex). */
    static final String SECRET = "{CRYPT}2BB80D537B1DA3E38BD30361AA855686BDE0EACD7162FEF6A25FE97BF527A25B{CRYPT}";
    static final String HASHED = "ops = {CRYPT}0123456789ABCDEF{CRYPT},_g_:admingroup";

    @TempDir
    Path dir;

    @Test
    void replacesClearTextPasswordsAndKeepsTheRest() throws Exception {
        Path file = users("# Console users", "_g_\\:admingroup = group,admin,ssh", "kedge = secret,_g_:admingroup",
                HASHED, "", "  viewer:secret", "plain=secret");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        UsersFile users = new UsersFile(file, "SHA-256");

        assertEquals(3, users.hashClearText());

        assertEquals(List.of("# Console users", "_g_\\:admingroup = group,admin,ssh",
                "kedge = " + SECRET + ",_g_:admingroup", HASHED, "", "  viewer:" + SECRET, "plain=" + SECRET),
                Files.readAllLines(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(3, users.hashed.sum());
        try (var left = Files.list(dir)) {
            assertFalse(left.anyMatch(p -> p.toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    @Test
    void looksAgainOnlyWhenTheFileChanged() throws Exception {
        Path file = users(HASHED);
        UsersFile users = new UsersFile(file, "SHA-256");
        assertEquals(0, users.hashClearText());

        // an operator adds a user in clear text, in the same second as the last look: the time still differs
        Files.writeString(file, HASHED + "\nnew = secret,viewer\n");
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 1000));
        assertEquals(1, users.hashClearText());
        assertTrue(Files.readString(file).contains("new = " + SECRET + ",viewer"));

        long before = Files.getLastModifiedTime(file).toMillis();
        assertEquals(0, users.hashClearText(), "nothing changed: not even read");
        assertEquals(before, Files.getLastModifiedTime(file).toMillis(), "not rewritten");
    }

    @Test
    void leavesWhatItCannotHashSafelyAndWhatIsOff() throws Exception {
        Path file = users("escaped = se\\:cret,viewer", "continued = secret,\\", "  viewer");
        assertEquals(0, new UsersFile(file, "SHA-256").hashClearText());
        assertEquals(List.of("escaped = se\\:cret,viewer", "continued = secret,\\", "  viewer"),
                Files.readAllLines(file));

        Path clear = users("kedge = secret,_g_:admingroup");
        assertEquals(0, new UsersFile(clear, "").hashClearText(), "no digest configured: kept as written");
        assertEquals(0, new UsersFile(dir.resolve("missing.properties"), "SHA-256").hashClearText());
    }

    private Path users(String... lines) throws Exception {
        Path file = Files.createTempFile(dir, "users", ".properties");
        Files.write(file, List.of(lines));
        return file;
    }
}
