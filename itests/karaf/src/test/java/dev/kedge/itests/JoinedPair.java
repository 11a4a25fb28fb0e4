package dev.kedge.itests;

import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.kedge.core.testing.FreePorts;

/**
 * The cloud and the edge distribution as processes in {@code target/<folder>}, as the process-level tests use them: the
 * cloud on the test API server ({@code KUBECONFIG}), the edge on the test containerd ({@code KEDGE_CRI_ENDPOINT}; a node
 * is Ready only with a ready runtime), consoles and CloudHub on free loopback ports, a 5 s heartbeat. Tests add their
 * own configuration between {@link #unpack} and {@link #startAndJoin}.
 */
final class JoinedPair {
    final KedgeProcess cloud;
    final KedgeProcess edge;
    final Path base;
    private final String password;
    final int wsPort;
    final int httpsPort;
    final int cloudMonitorPort;
    final int edgeMonitorPort;

    private JoinedPair(KedgeProcess cloud, KedgeProcess edge, Path base, String password, int wsPort, int httpsPort,
            int cloudMonitorPort, int edgeMonitorPort) {
        this.cloud = cloud;
        this.edge = edge;
        this.base = base;
        this.password = password;
        this.wsPort = wsPort;
        this.httpsPort = httpsPort;
        this.cloudMonitorPort = cloudMonitorPort;
        this.edgeMonitorPort = edgeMonitorPort;
    }

    static JoinedPair unpack(String folder, String password) throws Exception {
        Path base = Path.of("target", folder).toAbsolutePath();
        Map<String, String> env = Map.of("KEDGE_ADMIN_PASSWORD", password);
        int wsPort = FreePorts.belowEphemeral();
        int httpsPort = FreePorts.belowEphemeral();
        KedgeProcess cloud = unpackCloud(base, password, wsPort, httpsPort);
        KedgeProcess edge = KedgeProcess.unpack("edge", base.resolve("edge"), env);
        edge.writeConfig("org.apache.karaf.shell", Map.of("sshPort", String.valueOf(FreePorts.belowEphemeral())));
        edge.writeConfig("dev.kedge.edge.hub", Map.of("heartbeat", "5"));
        String cri = Ctr.endpoint();
        edge.writeConfig("dev.kedge.edge.edged", Map.of("remoteRuntimeEndpoint", cri, "remoteImageEndpoint", cri,
                "rootDirectory", base.resolve("edge-root").toString(),
                "podLogsRootDirectory", base.resolve("edge-logs").toString()));
        // monitors on free ports too: the defaults (9091, 9092) may belong to a Kedge running on this machine
        int cloudMonitorPort = FreePorts.belowEphemeral();
        int edgeMonitorPort = FreePorts.belowEphemeral();
        cloud.writeConfig("dev.kedge.cloud.monitor", Map.of("port", String.valueOf(cloudMonitorPort)));
        edge.writeConfig("dev.kedge.edge.monitor", Map.of("port", String.valueOf(edgeMonitorPort)));
        return new JoinedPair(cloud, edge, base, password, wsPort, httpsPort, cloudMonitorPort, edgeMonitorPort);
    }

    /** The cloud distribution alone in {@code base/cloud}, on the test API server, CloudHub on the given ports. */
    static KedgeProcess unpackCloud(Path base, String password, int wsPort, int httpsPort) throws Exception {
        String kubeconfig = System.getenv("KUBECONFIG");
        if (kubeconfig == null || !Files.exists(Path.of(kubeconfig))) {
            fail("KUBECONFIG must point at the test API server (scripts/test.sh starts one with scripts/kube-up.sh)");
        }
        KedgeProcess cloud = KedgeProcess.unpack("cloud", base.resolve("cloud"), Map.of("KEDGE_ADMIN_PASSWORD",
                password));
        cloud.writeConfig("org.apache.karaf.shell", Map.of("sshPort", String.valueOf(FreePorts.belowEphemeral())));
        cloud.writeConfig("dev.kedge.cloud.kube", Map.of("kubeconfig", kubeconfig));
        cloud.writeConfig("dev.kedge.cloud.hub", Map.of("websocketPort", String.valueOf(wsPort), "httpsPort",
                String.valueOf(httpsPort)));
        // the monitor's default port (9091) may belong to a Kedge running on this machine
        cloud.writeConfig("dev.kedge.cloud.monitor", Map.of("port", String.valueOf(FreePorts.belowEphemeral())));
        return cloud;
    }

    /** Starts both, joins the edge with {@code cloudhub:token} and {@code kedge:join} as {@code node}, waits for the link. */
    void startAndJoin(String node) throws Exception {
        cloud.start();
        edge.start();
        cloud.awaitConsole("kedge", password, "cloudhub:nodes", "Node", 120);
        edge.awaitConsole("kedge", password, "edgehub:status", "NOT_JOINED", 120);
        join(edge, node);
    }

    /** {@code cloudhub:token} and {@code kedge:join} on a started edge {@code which}; waits for its link. */
    void join(KedgeProcess which, String node) throws Exception {
        KedgeProcess edge = which;
        String token = cloud.client("kedge", password, "cloudhub:token").output().trim();
        String joined = edge.client("kedge", password, "kedge:join --cloud 127.0.0.1:" + wsPort + " --token " + token
                + " --node-name " + node + " --http-server https://127.0.0.1:" + httpsPort).output();
        assertTrue(joined, !joined.toLowerCase().contains("error"));
        edge.awaitConsole("kedge", password, "edgehub:status", "CONNECTED", 60);
    }

    /** One more edge distribution in {@code <base>/<folder>}, on its own free ports (console, MQTT, monitor), not started. */
    KedgeProcess unpackEdge(String folder) throws Exception {
        KedgeProcess more = KedgeProcess.unpack("edge", base.resolve(folder), Map.of("KEDGE_ADMIN_PASSWORD", password));
        more.writeConfig("org.apache.karaf.shell", Map.of("sshPort", String.valueOf(FreePorts.belowEphemeral())));
        more.writeConfig("dev.kedge.edge.hub", Map.of("heartbeat", "5"));
        String cri = Ctr.endpoint();
        more.writeConfig("dev.kedge.edge.edged", Map.of("remoteRuntimeEndpoint", cri, "remoteImageEndpoint", cri,
                "rootDirectory", base.resolve(folder + "-root").toString(),
                "podLogsRootDirectory", base.resolve(folder + "-logs").toString()));
        int mqtt = FreePorts.belowEphemeral();
        more.writeConfig("dev.kedge.edge.broker", Map.of("port", String.valueOf(mqtt)));
        more.writeConfig("dev.kedge.edge.eventbus", Map.of("mqttServerInternal", "tcp://127.0.0.1:" + mqtt));
        more.writeConfig("dev.kedge.edge.monitor", Map.of("port", String.valueOf(FreePorts.belowEphemeral())));
        return more;
    }
}
