package dev.kedge.edge.broker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The bound on kept topics, and the counts broker:stats shows. */
class RetainedCopiesTest {

    @Test
    void keepsAtMostTheBoundOfTopicsCountsTheRestAndStillReplacesKeptOnes() {
        RetainedCopies copies = new RetainedCopies();
        for (int i = 0; i < RetainedCopies.MAX_TOPICS + 5; i++) {
            copies.retained("c", "t/" + i, new byte[] {1});
        }
        assertEquals(RetainedCopies.MAX_TOPICS, copies.kept());
        assertEquals(5, copies.notKept());

        copies.retained("c", "t/0", "new".getBytes(StandardCharsets.UTF_8)); // a kept topic is still replaced
        List<String> got = new ArrayList<>();
        assertEquals(1, copies.replay("t/0", (client, topic, payload) -> got.add(new String(payload,
                StandardCharsets.UTF_8))));
        assertEquals(List.of("new"), got);

        copies.retained("c", "t/1", new byte[0]); // cleared: room for one more
        copies.retained("c", "t/new", new byte[] {2});
        assertEquals(RetainedCopies.MAX_TOPICS, copies.kept());
        assertEquals(5, copies.notKept());
        assertEquals(1, copies.replay("t/new", (client, topic, payload) -> { }));
    }
}
