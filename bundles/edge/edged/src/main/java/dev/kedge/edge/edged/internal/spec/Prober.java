package dev.kedge.edge.edged.internal.spec;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.edge.cri.ContainerRuntime;
import dev.kedge.edge.cri.ExecResult;
import dev.kedge.edge.cri.RuntimeCallException;

/**
 * Runs one liveness/readiness/startup probe as kubelet's prober does: {@code exec} through CRI ExecSync (exit 0 =
 * success), {@code httpGet} (200–399), {@code tcpSocket} (connects). {@code timeoutSeconds} (default 1) bounds each
 * probe; the host defaults to the pod IP (the node's IP for hostNetwork pods). Never throws: every failure is a
 * {@link ProbeResult} with the reason. Blocks the calling thread for at most the timeout (plus the CRI deadline slack
 * for exec).
 */
public final class Prober {
    private static final int MAX_MESSAGE = 1024;

    private final ContainerRuntime runtime;

    public Prober(ContainerRuntime runtime) {
        this.runtime = runtime;
    }

    /** As {@link #probe(JsonNode, JsonNode, String, String)} without the container: named ports cannot be used. */
    public ProbeResult probe(JsonNode probe, String containerId, String podIP) {
        return probe(probe, null, containerId, podIP);
    }

    /** {@code container} (may be null) resolves named ports ({@code port: http}) through its {@code ports}. */
    public ProbeResult probe(JsonNode probe, JsonNode container, String containerId, String podIP) {
        try {
            if (probe == null || probe.isNull() || probe.isMissingNode()) {
                return new ProbeResult(false, "no probe given");
            }
            long timeoutMillis = Math.max(1, probe.path("timeoutSeconds").asLong(1)) * 1000;
            if (probe.has("exec")) {
                return exec(probe.path("exec"), containerId, timeoutMillis);
            }
            if (probe.has("httpGet")) {
                JsonNode h = probe.path("httpGet");
                String host = PodJson.text(h, "host");
                if (host.isEmpty()) {
                    host = podIP == null ? "" : podIP;
                }
                if (host.isEmpty()) {
                    return new ProbeResult(false, "httpGet probe: the pod has no IP yet");
                }
                String scheme = PodJson.text(h, "scheme").toLowerCase(Locale.ROOT);
                if (scheme.isEmpty()) {
                    scheme = "http";
                }
                if (!scheme.equals("http") && !scheme.equals("https")) {
                    return new ProbeResult(false, "httpGet probe: unsupported scheme " + scheme);
                }
                Map<String, String> headers = new LinkedHashMap<>();
                for (JsonNode hd : h.path("httpHeaders")) {
                    headers.put(PodJson.text(hd, "name"), PodJson.text(hd, "value"));
                }
                return HttpProbe.get(scheme, host, port(h.path("port"), container), PodJson.text(h, "path"), headers,
                        timeoutMillis);
            }
            if (probe.has("tcpSocket")) {
                JsonNode t = probe.path("tcpSocket");
                String host = PodJson.text(t, "host");
                if (host.isEmpty()) {
                    host = podIP == null ? "" : podIP;
                }
                if (host.isEmpty()) {
                    return new ProbeResult(false, "tcpSocket probe: the pod has no IP yet");
                }
                return tcp(host, port(t.path("port"), container), timeoutMillis);
            }
            return new ProbeResult(false, "probe has no exec, httpGet or tcpSocket handler");
        } catch (IllegalArgumentException e) {
            return new ProbeResult(false, e.getMessage());
        } catch (RuntimeException e) {
            return new ProbeResult(false, "probe failed: " + e);
        }
    }

    private ProbeResult exec(JsonNode exec, String containerId, long timeoutMillis) {
        List<String> command = new ArrayList<>();
        exec.path("command").forEach(c -> command.add(c.asText()));
        if (command.isEmpty()) {
            return new ProbeResult(false, "exec probe has no command");
        }
        try {
            ExecResult r = runtime.execSync(containerId, command, Duration.ofMillis(timeoutMillis));
            String output = cut(r.stdout() + r.stderr());
            if (r.exitCode() == 0) {
                return new ProbeResult(true, output);
            }
            return new ProbeResult(false, "command " + command + " exited with " + r.exitCode()
                    + (output.isEmpty() ? "" : ": " + output));
        } catch (RuntimeCallException e) {
            if ("DEADLINE_EXCEEDED".equals(e.code())) {
                return new ProbeResult(false, "command " + command + " timed out after " + timeoutMillis / 1000 + "s");
            }
            return new ProbeResult(false, "exec probe failed: " + e.getMessage());
        }
    }

    private static ProbeResult tcp(String host, int port, long timeoutMillis) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(h, port), (int) Math.min(Integer.MAX_VALUE, timeoutMillis));
            return new ProbeResult(true, "");
        } catch (SocketTimeoutException e) {
            return new ProbeResult(false, "dial tcp " + host + ":" + port + ": i/o timeout");
        } catch (IOException e) {
            return new ProbeResult(false, "dial tcp " + host + ":" + port + ": " + e.getMessage());
        }
    }

    /** A number, or a name looked up in the container's ports. */
    private static int port(JsonNode port, JsonNode container) {
        if (port.isInt() || port.isTextual() && port.asText().matches("[0-9]+")) {
            int p = port.asInt();
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("invalid port number: " + p);
            }
            return p;
        }
        String name = port.asText();
        if (container != null) {
            for (JsonNode p : container.path("ports")) {
                if (name.equals(PodJson.text(p, "name"))) {
                    return p.path("containerPort").asInt();
                }
            }
        }
        throw new IllegalArgumentException("couldn't find port: " + (port.isMissingNode() ? "(none)" : name));
    }

    private static String cut(String s) {
        String t = s.strip();
        return t.length() > MAX_MESSAGE ? t.substring(0, MAX_MESSAGE) + "…" : t;
    }
}
