package dev.kedge.edge.edged.internal.spec;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.edge.cri.LinuxResources;
import dev.kedge.edge.edged.internal.Quantities;

/**
 * A container's requests and limits the way kubelet turns them into Linux resources, a QoS class and downward API
 * values. Limits that are not set default to the node's capacity (as kubelet's allocatable default does).
 */
final class Resources {
    static final long MIN_SHARES = 2;
    static final long QUOTA_PERIOD = 100_000;
    static final long MIN_QUOTA = 1_000;
    static final long GUARANTEED_OOM_SCORE_ADJ = -998;
    static final long BEST_EFFORT_OOM_SCORE_ADJ = 1000;
    /** system-cluster-critical and above: kubelet protects such pods like Guaranteed ones. */
    static final long CRITICAL_PRIORITY = 2_000_000_000L;

    /** The node's size: what an unset limit means. */
    record Capacity(long milliCpu, long memoryBytes) {
        static Capacity detect() {
            long memory = 0;
            try {
                for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                    if (line.startsWith("MemTotal:")) {
                        memory = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                    }
                }
            } catch (IOException | NumberFormatException e) {
                memory = Runtime.getRuntime().maxMemory();
            }
            return new Capacity(Runtime.getRuntime().availableProcessors() * 1000L, memory);
        }
    }

    private Resources() {
    }

    static LinuxResources linux(JsonNode pod, JsonNode container, Capacity node) throws PodSpecException {
        long cpuRequest = milli(container, "requests", "cpu");
        long cpuLimit = milli(container, "limits", "cpu");
        long memoryLimit = bytes(container, "limits", "memory");
        long shares = shares(cpuRequest == 0 && cpuLimit != 0 ? cpuLimit : cpuRequest);
        long quota = 0;
        long period = 0;
        if (cpuLimit != 0) {
            period = QUOTA_PERIOD;
            quota = Math.max(MIN_QUOTA, cpuLimit * QUOTA_PERIOD / 1000);
        }
        return new LinuxResources(shares, quota, period, memoryLimit, oomScoreAdj(pod, container, node));
    }

    static long shares(long milliCpu) {
        if (milliCpu == 0) {
            return MIN_SHARES;
        }
        return Math.max(MIN_SHARES, milliCpu * 1024 / 1000);
    }

    /** {@code Guaranteed}, {@code Burstable} or {@code BestEffort}, over init and app containers. */
    static String qosClass(JsonNode pod) throws PodSpecException {
        boolean any = false;
        boolean guaranteed = true;
        for (String list : new String[] {"initContainers", "containers"}) {
            for (JsonNode c : pod.path("spec").path(list)) {
                for (String r : new String[] {"cpu", "memory"}) {
                    String limit = PodJson.text(c.path("resources").path("limits"), r);
                    String request = PodJson.text(c.path("resources").path("requests"), r);
                    any |= !limit.isEmpty() || !request.isEmpty();
                    if (limit.isEmpty() || (!request.isEmpty() && !same(request, limit))) {
                        guaranteed = false;
                    }
                }
            }
        }
        return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
    }

    static long oomScoreAdj(JsonNode pod, JsonNode container, Capacity node) throws PodSpecException {
        String qos = qosClass(pod);
        if (qos.equals("Guaranteed") || pod.path("spec").path("priority").asLong(0) >= CRITICAL_PRIORITY) {
            return GUARANTEED_OOM_SCORE_ADJ;
        }
        if (qos.equals("BestEffort")) {
            return BEST_EFFORT_OOM_SCORE_ADJ;
        }
        long capacity = Math.max(1, node.memoryBytes());
        long request = Math.min(capacity, bytes(container, "requests", "memory"));
        long adj = 1000 - 1000 * request / capacity;
        if (adj < 1000 + GUARANTEED_OOM_SCORE_ADJ) {
            return 1000 + GUARANTEED_OOM_SCORE_ADJ;
        }
        return adj == BEST_EFFORT_OOM_SCORE_ADJ ? adj - 1 : adj;
    }

    /** A downward API {@code resourceFieldRef}: e.g. {@code limits.memory} with divisor {@code 1Mi}, rounded up. */
    static String fieldValue(JsonNode container, String resource, String divisor, Capacity node)
            throws PodSpecException {
        String res = resource == null ? "" : resource;
        int dot = res.indexOf('.');
        if (dot < 0 || !(res.startsWith("limits.") || res.startsWith("requests."))) {
            throw new PodSpecException(PodSpecException.CONFIG_ERROR, "unsupported container resource: " + resource);
        }
        String kind = res.substring(0, dot);
        String name = res.substring(dot + 1);
        String text = amount(container, kind, name);
        BigDecimal div = parse(divisor == null || divisor.isEmpty() ? "1" : divisor, "divisor");
        if (div.signum() == 0) {
            throw new PodSpecException(PodSpecException.CONFIG_ERROR, "divisor of " + resource + " is zero");
        }
        switch (name) {
            case "cpu": {
                BigDecimal v = text.isEmpty()
                        ? (kind.equals("limits") ? BigDecimal.valueOf(node.milliCpu()).movePointLeft(3) : BigDecimal.ZERO)
                        : parse(text, resource);
                // kubelet: ceil(milli(value) / milli(divisor))
                BigDecimal milli = v.movePointRight(3).setScale(0, RoundingMode.CEILING);
                BigDecimal divMilli = div.movePointRight(3).setScale(0, RoundingMode.CEILING);
                return milli.divide(divMilli, 0, RoundingMode.CEILING).toPlainString();
            }
            case "memory":
            case "ephemeral-storage": {
                BigDecimal v = text.isEmpty()
                        ? (kind.equals("limits") && name.equals("memory") ? BigDecimal.valueOf(node.memoryBytes())
                                : BigDecimal.ZERO)
                        : parse(text, resource);
                BigDecimal divUnits = div.setScale(0, RoundingMode.CEILING);
                return v.setScale(0, RoundingMode.CEILING).divide(divUnits, 0, RoundingMode.CEILING).toPlainString();
            }
            default:
                throw new PodSpecException(PodSpecException.CONFIG_ERROR, "unsupported container resource: " + resource);
        }
    }

    private static boolean same(String a, String b) throws PodSpecException {
        return parse(a, a).compareTo(parse(b, b)) == 0;
    }

    /** The request or limit as written; a request that is not set is the limit (the API server's default). */
    private static String amount(JsonNode container, String kind, String name) {
        String text = PodJson.text(container.path("resources").path(kind), name);
        return text.isEmpty() && kind.equals("requests") ? PodJson.text(container.path("resources").path("limits"), name)
                : text;
    }

    private static long milli(JsonNode container, String kind, String name) throws PodSpecException {
        String text = amount(container, kind, name);
        return text.isEmpty() ? 0 : parse(text, kind + "." + name).movePointRight(3)
                .setScale(0, RoundingMode.CEILING).longValueExact();
    }

    private static long bytes(JsonNode container, String kind, String name) throws PodSpecException {
        String text = amount(container, kind, name);
        return text.isEmpty() ? 0 : parse(text, kind + "." + name).setScale(0, RoundingMode.CEILING).longValueExact();
    }

    private static BigDecimal parse(String text, String what) throws PodSpecException {
        try {
            return Quantities.parse(text);
        } catch (IllegalArgumentException e) {
            throw new PodSpecException(PodSpecException.CONFIG_ERROR, what + ": " + e.getMessage());
        }
    }
}
