package dev.kedge.edge.hub.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class FrameAssemblerTest {

    @Test
    void joinsFragmentsOfOneMessage() throws Exception {
        FrameAssembler a = new FrameAssembler(100);
        assertNull(a.appendText("{\"hea", false));
        assertNull(a.appendText("der\":", false));
        assertEquals("{\"header\":{}}", a.appendText("{}}", true));
        assertEquals("next", a.appendText("next", true), "state is reset between messages");
    }

    @Test
    void refusesAnOversizedMessageOnceAndRecovers() throws Exception {
        FrameAssembler a = new FrameAssembler(10);
        assertNull(a.appendText("123456", false));
        assertNull(a.appendText("789012", false)); // over the bound: dropped, skipping to the end
        FrameAssembler.TooLarge e = assertThrows(FrameAssembler.TooLarge.class, () -> a.appendText("345", true));
        assertEquals("frame of 15 bytes exceeds the 10-byte bound", e.getMessage());
        assertEquals("ok", a.appendText("ok", true));
    }

    @Test
    void boundCountsUtf8Bytes() {
        FrameAssembler a = new FrameAssembler(5);
        assertThrows(FrameAssembler.TooLarge.class, () -> a.appendText("ééé", true)); // 6 bytes
        assertEquals(4, FrameAssembler.utf8Length("\uD83D\uDE00"));
    }

    @Test
    void binaryMessagesAreJoinedAsBytes() throws Exception {
        FrameAssembler a = new FrameAssembler(100);
        byte[] all = "{\"content\":\"é\"}".getBytes(StandardCharsets.UTF_8);
        int cut = 13; // inside the two bytes of é
        assertNull(a.appendBinary(ByteBuffer.wrap(all, 0, cut), false));
        assertArrayEquals(all, a.appendBinary(ByteBuffer.wrap(all, cut, all.length - cut), true));
    }
}
