package dev.kedge.cloud.controller.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import dev.kedge.cloud.kube.testing.TestApiServer;
import dev.kedge.core.Message;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.Operations;
import dev.kedge.core.testing.RecordingBus;
import dev.kedge.core.testing.TestConfigs;
import io.fabric8.kubernetes.client.KubernetesClient;

/** An EdgeController on the real kube-apiserver ({@code KUBECONFIG}), with a recording bus instead of CloudHub. */
final class ControllerFixture implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(20);

    final KubernetesClient client;
    final RecordingBus bus = new RecordingBus();
    private EdgeControllerComponent controller;

    private ControllerFixture(KubernetesClient client) {
        this.client = client;
    }

    /** A client first (tests create their objects), then {@link #startController()}. */
    static ControllerFixture connect(String testName) {
        return new ControllerFixture(TestApiServer.client(testName));
    }

    EdgeControllerComponent startController() throws InterruptedException {
        controller = new EdgeControllerComponent(bus, client, TestConfigs.of(EdgeControllerConfig.class,
                Map.of("nodeUpdateFrequency", 1, "upstreamWorkers", 2, "upstreamQueueSize", 64, "eventQueueSize", 1000,
                        "ledgerWaitSeconds", 1)));
        controller.start();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!controller.started()) {
            assertTrue(System.nanoTime() < deadline, "informers did not sync");
            Thread.sleep(50);
        }
        return controller;
    }

    /** CloudHub's link event: the node's edge connected to this replica (the controller sends only to those). */
    static void connected(EdgeControllerComponent c, String... nodes) {
        for (String node : nodes) {
            c.receive(Message.create(ModuleNames.CLOUDHUB, ModuleNames.ROUTE_RESOURCE, Operations.CONNECTED,
                    "node/" + node, "{}"));
        }
    }

    static void disconnected(EdgeControllerComponent c, String node) {
        c.receive(Message.create(ModuleNames.CLOUDHUB, ModuleNames.ROUTE_RESOURCE, Operations.DISCONNECTED,
                "node/" + node, "{}"));
    }

    EdgeControllerComponent startedController() {
        return controller;
    }

    /** The controller's answer to {@code request}, as handed to CloudHub. */
    Message answer(Message request) throws InterruptedException {
        return bus.await(m -> request.id().equals(m.parentId()), WAIT, "answering " + request.operation() + " "
                + request.resource());
    }

    @Override
    public void close() {
        if (controller != null) {
            controller.close();
        }
        client.close();
    }
}
