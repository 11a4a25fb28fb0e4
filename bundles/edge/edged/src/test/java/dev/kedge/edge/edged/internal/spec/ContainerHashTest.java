package dev.kedge.edge.edged.internal.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Containers running now carry hashes made with an ObjectMapper writing the spec as maps with sorted keys: the hash
 * must not change, or every container would be restarted after an update.
 */
class ContainerHashTest {
    private static final ObjectMapper PREVIOUS = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    @ParameterizedTest
    @ValueSource(strings = {
        "{}", "{\"name\":\"app\"}",
        "{\"name\":\"app\",\"image\":\"busybox:1.36\",\"command\":[\"sh\",\"-c\",\"echo <hi> & 'bye' \\u00e9 😀\"],"
                + "\"env\":[{\"value\":\"x\",\"name\":\"B\"},{\"name\":\"A\",\"valueFrom\":{\"fieldRef\":"
                + "{\"fieldPath\":\"metadata.name\",\"apiVersion\":\"v1\"}}}],\"resources\":{\"limits\":{"
                + "\"memory\":\"64Mi\",\"cpu\":\"250m\"}},\"ports\":[{\"containerPort\":80,\"protocol\":\"TCP\"}],"
                + "\"securityContext\":{\"runAsUser\":1000,\"privileged\":false,\"seLinuxOptions\":null},"
                + "\"livenessProbe\":{\"periodSeconds\":10,\"failureThreshold\":3.5,\"big\":12345678901234,"
                + "\"huge\":123456789012345678901234567890,\"exec\":{\"command\":[]}},\"Z\":1,\"a\":2,\"\":3}"
    })
    void hashIsTheOneTheCanonicalMapperGave(String spec) throws IOException {
        JsonNode container = PREVIOUS.readTree(spec);
        byte[] canonical = PREVIOUS.writeValueAsBytes(PREVIOUS.treeToValue(container, Object.class));
        int h = 0x811c9dc5;
        for (byte b : canonical) {
            h ^= b & 0xff;
            h *= 0x01000193;
        }
        assertEquals(Long.toHexString(Integer.toUnsignedLong(h)), ContainerSpecFactory.hash(container));
    }
}
