package dev.kedge.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The wire values KubeEdge's edgecore and cloudcore expect: changing one breaks interoperability. */
class ProtocolConstantsTest {

    @Test
    void linkStateIsKubeEdgesNodeConnectionMessage() {
        assertEquals("node/connection", CloudLink.RESOURCE);
        assertEquals("cloud_connected", CloudLink.CONNECTED);
        assertEquals("cloud_disconnected", CloudLink.DISCONNECTED);
        assertEquals("edgehub", CloudLink.SOURCE);
        assertTrue(CloudLink.isLinkState(Message.create("edgehub", "meta", "connect", "node/connection",
                "cloud_connected")));
        assertFalse(CloudLink.isLinkState(Message.create("edgehub", "meta", "update", "node/connection", "x")));
    }

    @Test
    void resourceTypesAreKubeEdgesModelConstants() {
        assertEquals("pod", ResourceTypes.POD);
        assertEquals("podstatus", ResourceTypes.POD_STATUS);
        assertEquals("nodestatus", ResourceTypes.NODE_STATUS);
        assertEquals("configmap", ResourceTypes.CONFIGMAP);
        assertEquals("serviceaccounttoken", ResourceTypes.SERVICE_ACCOUNT_TOKEN);
        assertEquals("persistentvolumeclaim", ResourceTypes.PERSISTENT_VOLUME_CLAIM);
        assertEquals("devicemodel", ResourceTypes.DEVICE_MODEL);
        assertEquals("membership", ResourceTypes.MEMBERSHIP);
    }
}
