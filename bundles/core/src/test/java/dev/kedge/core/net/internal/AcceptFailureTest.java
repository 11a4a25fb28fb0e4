package dev.kedge.core.net.internal;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.kedge.core.net.Listening;

/**
 * A real EMFILE: the test JVM's soft limit of open files is lowered below what it holds (with prlimit, Linux), so the
 * accept fails until it is raised again. The listener must pause between attempts, not spin on the ready socket.
 */
@Timeout(value = 60, unit = SECONDS)
class AcceptFailureTest {
    private static final Path PRLIMIT = Path.of("/usr/bin/prlimit");
    private static final long FAILING_MS = 500;

    @Test
    void aFailingAcceptPausesTheListenerAndItAcceptsOnceItCan(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(PRLIMIT) && Files.isDirectory(Path.of("/proc/self/fd")), "Linux with prlimit");
        AcceptorImpl acceptor = new AcceptorImpl();
        CountDownLatch handled = new CountDownLatch(1);
        Listening l = acceptor.listen("net-emfile", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4,
                ch -> {
                    handled.countDown();
                    close(ch);
                });
        String limit = run("--noheadings", "--raw", "--output=SOFT", "--nofile").strip();
        List<FileChannel> ballast = new ArrayList<>(); // freed before raising the limit again: that needs a spawn
        try (SocketChannel client = SocketChannel.open()) {
            for (int i = 0; i < 20; i++) {
                ballast.add(FileChannel.open(dir.resolve("f" + i), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE));
            }
            run("--nofile=" + (openFiles() - 5) + ":");
            try {
                client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), l.port()));
                Thread.sleep(FAILING_MS);
            } finally {
                for (FileChannel f : ballast) {
                    f.close();
                }
                run("--nofile=" + limit + ":");
            }
            long failures = l.failures();
            assertTrue(failures >= 2 && failures <= FAILING_MS / OpenListener.FAILURE_PAUSE_MS + 2,
                    "paused between attempts: " + failures + " failures in " + FAILING_MS + " ms");
            assertTrue(handled.await(5, SECONDS), "accepted once it could");
            assertEquals(1, l.accepted());
        } finally {
            l.close();
            acceptor.stop();
        }
    }

    private static long openFiles() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    private static String run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PRLIMIT.toString(), "--pid",
                Long.toString(ProcessHandle.current().pid())));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
        return out;
    }

    private static void close(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
