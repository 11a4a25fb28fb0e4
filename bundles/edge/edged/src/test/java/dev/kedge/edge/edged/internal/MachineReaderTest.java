package dev.kedge.edge.edged.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Machine facts from a fake /proc and /etc tree, and from this machine. */
class MachineReaderTest {
    @TempDir
    Path fs;

    @Test
    void readsTheFactsFromProcAndEtc() throws Exception {
        write("proc/cpuinfo", "processor\t: 0\nmodel name\t: x\n\nprocessor\t: 1\n\nprocessor\t: 2\n");
        write("proc/meminfo", "MemTotal:        2048 kB\nMemFree:  10 kB\nMemAvailable:     1024 kB\n");
        write("proc/sys/kernel/pid_max", "32768\n");
        write("proc/loadavg", "0.10 0.20 0.30 2/345 999\n");
        write("etc/machine-id", "abc\n");
        write("proc/sys/kernel/random/boot_id", "boot-1\n");
        write("proc/sys/kernel/osrelease", "6.1.0-test\n");
        write("etc/os-release", "NAME=\"X\"\nPRETTY_NAME=\"Test Linux 1 (one)\"\n");
        MachineReader reader = new MachineReader(fs, "10.0.0.7", fs);
        Machine m = reader.get();
        assertEquals(3, m.cpus());
        assertEquals(2048 * 1024, m.memoryTotal());
        assertEquals(1024 * 1024, m.memoryAvailable());
        assertEquals(32768, m.pidMax());
        assertEquals(345, m.processes());
        assertEquals("abc", m.machineID());
        assertEquals("boot-1", m.bootID());
        assertEquals("6.1.0-test", m.kernelVersion());
        assertEquals("Test Linux 1 (one)", m.osImage());
        assertEquals("10.0.0.7", m.hostIP());
        assertEquals("", m.systemUUID());
        assertEquals(Files.getFileStore(fs).getTotalSpace(), m.storageTotal());
        assertEquals(0, reader.unreadable.sum());
    }

    @Test
    void missingFilesGiveEmptyValuesAndACount() {
        MachineReader reader = new MachineReader(fs, "", fs);
        Machine m = reader.get();
        assertEquals(Runtime.getRuntime().availableProcessors(), m.cpus());
        assertEquals(0, m.memoryTotal());
        assertEquals("", m.machineID());
        assertTrue(reader.unreadable.sum() > 0);
    }

    @Test
    void readsSysctlIntegersWhole() throws Exception {
        // the kernel answers a read of /proc/sys/kernel/pid_max at offset 1 with end of file
        assertEquals(Files.readAllLines(Path.of("/proc/sys/kernel/pid_max")).get(0),
                Long.toString(new MachineReader(fs, "").get().pidMax()));
    }

    @Test
    void mapsJavaArchitecturesToKubernetesOnes() {
        for (List<String> p : List.of(List.of("amd64", "amd64"), List.of("x86_64", "amd64"),
                List.of("aarch64", "arm64"), List.of("arm", "arm"), List.of("riscv64", "riscv64"))) {
            assertEquals(p.get(1), MachineReader.architecture(p.get(0)));
        }
    }

    private void write(String file, String text) throws Exception {
        Path p = fs.resolve(file);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }
}
