package dev.kedge.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;

import org.junit.jupiter.api.Test;

import com.sun.management.HotSpotDiagnosticMXBean;

import dev.kedge.core.SharedScheduler;

class HeapAfterStartTest {

    /** Records what is scheduled; runs nothing. */
    static final class Recording implements SharedScheduler {
        final List<Duration> delays = new ArrayList<>();
        final List<Runnable> tasks = new ArrayList<>();

        @Override
        public ScheduledFuture<?> schedule(String what, Runnable task, Duration delay) {
            delays.add(delay);
            tasks.add(task);
            return null;
        }

        @Override
        public ScheduledFuture<?> scheduleWithFixedDelay(String what, Runnable task, Duration first, Duration d) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Executor executor() {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void readsSizesWithUnits() {
        assertEquals(25_165_824L, HeapAfterStart.bytes("25165824"));
        assertEquals(24L << 20, HeapAfterStart.bytes("24m"));
        assertEquals(24L << 20, HeapAfterStart.bytes(" 24M "));
        assertEquals(512L << 10, HeapAfterStart.bytes("512k"));
        assertEquals(1L << 30, HeapAfterStart.bytes("1g"));
        assertThrows(IllegalArgumentException.class, () -> HeapAfterStart.bytes("24mb"));
        assertThrows(IllegalArgumentException.class, () -> HeapAfterStart.bytes("-1m"));
        assertThrows(IllegalArgumentException.class, () -> HeapAfterStart.bytes("0"));
        assertThrows(IllegalArgumentException.class, () -> HeapAfterStart.bytes("99999999999g"));
    }

    @Test
    void schedulesOnlyAValidSizeAfterTheStart() {
        Recording none = new Recording();
        new HeapAfterStart(none, (String) null);
        new HeapAfterStart(none, " ");
        new HeapAfterStart(none, "lots");
        assertTrue(none.tasks.isEmpty(), "nothing asked for, or a bad size: nothing scheduled");

        Recording one = new Recording();
        new HeapAfterStart(one, "24m");
        assertEquals(List.of(HeapAfterStart.DELAY), one.delays);
    }

    @Test
    void setsTheJvmsSoftLimitAndRefusesOneAboveTheMaximum() {
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        String before = vm.getVMOption("SoftMaxHeapSize").getValue();
        long max = Long.parseLong(vm.getVMOption("MaxHeapSize").getValue());
        long half = (max / 2) & ~((1L << 20) - 1);
        try {
            assertTrue(HeapAfterStart.apply(half));
            assertEquals(Long.toString(half), vm.getVMOption("SoftMaxHeapSize").getValue());
            assertFalse(HeapAfterStart.apply(max * 2), "above -Xmx: the JVM refuses, and it is logged");
            assertEquals(Long.toString(half), vm.getVMOption("SoftMaxHeapSize").getValue());
        } finally {
            vm.setVMOption("SoftMaxHeapSize", before);
        }
    }
}
