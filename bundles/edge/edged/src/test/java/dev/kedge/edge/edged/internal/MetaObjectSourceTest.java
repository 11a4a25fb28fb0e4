package dev.kedge.edge.edged.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.core.Message;
import dev.kedge.core.MessageCodec;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.Operations;
import dev.kedge.core.testing.RecordingBus;
import dev.kedge.edge.edged.internal.spec.PodSpecException;

/**
 * A pod's configmaps and secrets are asked for, the KubeEdge way: a sync {@code query <ns>/<type>/<name>} to
 * MetaManager, which asks the cloud. A v1.15 cloudcore pushes nothing with the pod, so Edged must never count on the
 * object being there already; MetaManager's answers (a JSON array of stored JSON strings; its error when the cloud
 * says NotFound or Forbidden) map to found, absent and a config error.
 */
class MetaObjectSourceTest {
    private static final String CM = "{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"web\","
            + "\"namespace\":\"ns1\"},\"data\":{\"greeting\":\"hello\"}}";

    @Test
    void asksMetaManagerAndReadsTheStoredObject() throws Exception {
        RecordingBus bus = new RecordingBus().answerSync(m -> Message.responseTo(m,
                MessageCodec.mapper().createArrayNode().add(CM)));
        Optional<JsonNode> cm = new MetaObjectSource(bus, Duration.ofSeconds(1)).configMap("ns1", "web");
        assertEquals("hello", cm.orElseThrow().at("/data/greeting").asText());
        Message asked = bus.messages(RecordingBus.SYNC).get(0);
        assertEquals(ModuleNames.METAMANAGER, bus.calls(RecordingBus.SYNC).get(0).target());
        assertEquals(Operations.QUERY, asked.operation());
        assertEquals("ns1/configmap/web", asked.resource());
    }

    @Test
    void theCloudsNotFoundIsAnAbsentObject() throws Exception {
        // MetaManager's error after a KubeEdge cloud answered Go's JSON of a NotFound StatusError
        RecordingBus bus = new RecordingBus().answerSync(m -> Message.errorTo(m,
                "the cloud answered NotFound (404): secrets \"s1\" not found"));
        assertTrue(new MetaObjectSource(bus, Duration.ofSeconds(1)).secret("ns1", "s1").isEmpty());
        assertEquals("ns1/secret/s1", bus.messages(RecordingBus.SYNC).get(0).resource());
    }

    @Test
    void aRefusalIsAConfigErrorThatSaysWhy() {
        RecordingBus bus = new RecordingBus().answerSync(m -> Message.errorTo(m,
                "the cloud answered Forbidden (403): no pod of node e1 references secret ns1/s2"));
        PodSpecException e = assertThrows(PodSpecException.class,
                () -> new MetaObjectSource(bus, Duration.ofSeconds(1)).secret("ns1", "s2"));
        assertEquals(PodSpecException.CONFIG_ERROR, e.reason());
        assertTrue(e.getMessage().contains("Forbidden"), e.getMessage());
    }
}
