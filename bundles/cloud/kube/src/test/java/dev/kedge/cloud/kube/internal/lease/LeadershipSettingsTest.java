package dev.kedge.cloud.kube.internal.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.lang.management.ManagementFactory;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class LeadershipSettingsTest {

    /** The annotation's defaults, with the three durations and the identity replaceable. */
    private record Config(String identity, int leaseDurationMs, int renewDeadlineMs, int retryPeriodMs)
            implements LeadershipConfig {
        static Config defaults() {
            return new Config("", 15_000, 10_000, 2_000);
        }

        @Override
        public Class<? extends Annotation> annotationType() {
            return LeadershipConfig.class;
        }

        @Override
        public String namespace() {
            return "kubeedge";
        }

        @Override
        public String leaseName() {
            return "kedge-cloud";
        }
    }

    @Test
    void defaultsAreCloudcoresAndIdentityIsHostAndPid() {
        LeadershipSettings s = LeadershipSettings.of(Config.defaults());
        assertEquals(Duration.ofSeconds(15), s.leaseDuration());
        assertEquals(Duration.ofSeconds(10), s.renewDeadline());
        assertEquals(Duration.ofSeconds(2), s.retryPeriod());
        assertEquals("kubeedge/kedge-cloud", s.lease());
        assertTrue(s.identity().endsWith("-" + ManagementFactory.getRuntimeMXBean().getPid()), s.identity());
    }

    @Test
    void configuredIdentityWins() {
        assertEquals("cloud-a", LeadershipSettings.of(new Config(" cloud-a ", 15_000, 10_000, 2_000)).identity());
    }

    @Test
    void renewDeadlineMustBeShorterThanTheLease() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> LeadershipSettings.of(new Config("a", 10_000, 10_000, 2_000)));
        assertTrue(e.getMessage().contains("lease duration"), e.getMessage());
    }

    @Test
    void retryMustBeShorterThanTheRenewDeadline() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> LeadershipSettings.of(new Config("a", 15_000, 2_000, 2_000)));
        assertTrue(e.getMessage().contains("retry period"), e.getMessage());
    }

    @Test
    void retryMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> LeadershipSettings.of(new Config("a", 15_000, 10_000, 0)));
    }
}
