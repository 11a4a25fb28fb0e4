package dev.kedge.edge.edged.internal.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.edge.cri.ImageInfo;
import dev.kedge.edge.cri.RegistryAuth;

/** Pull policies, error reasons and the pull back-off, on an in-memory runtime and a manual clock. */
class ImagePullerTest {
    private final FakeRuntime runtime = new FakeRuntime();
    private final MutableClock clock = new MutableClock();
    private final ImagePuller puller = new ImagePuller(runtime, clock);

    private static JsonNode pod() {
        return FakeObjects.json("{'metadata':{'name':'p','namespace':'ns','uid':'u-1'},'spec':{}}");
    }

    private static JsonNode container(String image, String policy) {
        return FakeObjects.json("{'name':'c','image':'" + image + "'" + (policy == null ? "" : ",'imagePullPolicy':'"
                + policy + "'") + "}");
    }

    private void present(String name, String id) {
        runtime.images.put(name, new ImageInfo(id, List.of(name), List.of(), 1));
    }

    @Test
    void ifNotPresentUsesTheLocalImageWithoutPulling() throws Exception {
        present("busybox:1", "sha256:local");
        assertEquals("sha256:local", puller.ensure(pod(), container("busybox:1", "IfNotPresent")));
        assertEquals("sha256:local", puller.ensure(pod(), container("busybox:1", null)), "a tag defaults to IfNotPresent");
        assertEquals(List.of(), runtime.pulls);
        runtime.registry.put("busybox:2", "sha256:two");
        assertEquals("sha256:two", puller.ensure(pod(), container("busybox:2", "IfNotPresent")));
        assertEquals(List.of("busybox:2"), runtime.pulls);
    }

    @Test
    void alwaysPullsEvenWhenPresentAndLatestIsTheDefaultTag() throws Exception {
        present("busybox:latest", "sha256:old");
        runtime.registry.put("busybox:latest", "sha256:new");
        assertEquals("sha256:new", puller.ensure(pod(), container("busybox", null)), "no tag → :latest, Always");
        assertEquals(List.of("busybox:latest"), runtime.pulls);
        runtime.registryDown = true;
        PodSpecException e = assertThrows(PodSpecException.class, () -> puller.ensure(pod(), container("busybox",
                "Always")));
        assertEquals("ErrImagePull", e.reason(), "Always asks the registry, as kubelet does, even with the image here");
    }

    @Test
    void neverFailsWhenAbsent() throws Exception {
        PodSpecException e = assertThrows(PodSpecException.class, () -> puller.ensure(pod(), container("app:1",
                "Never")));
        assertEquals("ErrImageNeverPull", e.reason());
        assertEquals("Container image \"app:1\" is not present with pull policy of Never", e.getMessage());
        present("app:1", "sha256:a");
        assertEquals("sha256:a", puller.ensure(pod(), container("app:1", "Never")));
        assertEquals(List.of(), runtime.pulls);
    }

    @Test
    void aRuntimeThatCannotAnswerIsAnInspectError() {
        runtime.runtimeDown = true;
        PodSpecException e = assertThrows(PodSpecException.class, () -> puller.ensure(pod(), container("app:1",
                "IfNotPresent")));
        assertEquals("ImageInspectError", e.reason());
        assertTrue(e.getMessage().startsWith("Failed to inspect image \"app:1\""), e.getMessage());
    }

    @Test
    void invalidNamesAreRefusedBeforeAnyCall() {
        for (String bad : List.of("", "UPPER/case:1", "a b", "repo:tag:again", "repo@sha256:short", ":tag")) {
            PodSpecException e = assertThrows(PodSpecException.class, () -> puller.ensure(pod(), container(bad,
                    "IfNotPresent")), bad);
            assertEquals("InvalidImageName", e.reason(), bad);
        }
        assertEquals(List.of(), runtime.pulls);
    }

    @Test
    void failedPullsBackOffTenSecondsDoublingToFiveMinutes() throws Exception {
        JsonNode c = container("missing:1", "IfNotPresent");
        PodSpecException first = assertThrows(PodSpecException.class, () -> puller.ensure(pod(), c));
        assertEquals("ErrImagePull", first.reason());
        assertTrue(first.getMessage().contains("not found"), first.getMessage());
        long[] expectedSeconds = {10, 20, 40, 80, 160, 300, 300};
        for (long seconds : expectedSeconds) {
            int pullsBefore = runtime.pulls.size();
            clock.advance(Duration.ofSeconds(seconds).minusMillis(1));
            PodSpecException during = assertThrows(PodSpecException.class, () -> puller.ensure(pod(), c));
            assertEquals("ImagePullBackOff", during.reason(), "within " + seconds + " s");
            assertTrue(during.getMessage().startsWith("Back-off pulling image \"missing:1\": "), during.getMessage());
            assertTrue(during.getMessage().contains("not found"), "carries the last error");
            assertEquals(pullsBefore, runtime.pulls.size(), "no pull during back-off");
            clock.advance(Duration.ofMillis(1));
            PodSpecException again = assertThrows(PodSpecException.class, () -> puller.ensure(pod(), c));
            assertEquals("ErrImagePull", again.reason(), "after " + seconds + " s a new pull is tried");
            assertEquals(pullsBefore + 1, runtime.pulls.size());
        }
        // another pod has its own back-off; success ends the back-off
        JsonNode other = FakeObjects.json("{'metadata':{'name':'q','namespace':'ns','uid':'u-2'},'spec':{}}");
        assertEquals("ErrImagePull", assertThrows(PodSpecException.class, () -> puller.ensure(other, c)).reason());
        runtime.registry.put("missing:1", "sha256:m");
        clock.advance(Duration.ofMinutes(5));
        assertEquals("sha256:m", puller.ensure(pod(), c));
        runtime.images.clear();
        runtime.registry.clear();
        assertEquals("ErrImagePull", assertThrows(PodSpecException.class, () -> puller.ensure(pod(), c)).reason());
        clock.advance(Duration.ofSeconds(10));
        assertEquals("ErrImagePull", assertThrows(PodSpecException.class, () -> puller.ensure(pod(), c)).reason(),
                "back-off started over at 10 s");
    }

    @Test
    void pullSecretsMatchingTheRegistryAreUsed() throws Exception {
        FakeObjects objects = new FakeObjects();
        String cfg = "{\"auths\":{\"https://registry.local:5000/v1/\":{\"auth\":\""
                + java.util.Base64.getEncoder().encodeToString("bob:pw".getBytes()) + "\"},"
                + "\"other.io\":{\"username\":\"x\",\"password\":\"y\"}}}";
        objects.secret("ns", "regcred", Map.of(".dockerconfigjson", cfg));
        ImagePuller withSecrets = new ImagePuller(runtime, clock, objects);
        runtime.registry.put("registry.local:5000/app:1", "sha256:priv");
        JsonNode pod = FakeObjects.json("{'metadata':{'name':'p','namespace':'ns','uid':'u-1'},"
                + "'spec':{'imagePullSecrets':[{'name':'regcred'},{'name':'absent'}]}}");
        assertEquals("sha256:priv", withSecrets.ensure(pod, container("registry.local:5000/app:1", "IfNotPresent")));
        Optional<RegistryAuth> auth = runtime.pullAuths.get(0);
        assertTrue(auth.isPresent());
        assertEquals("bob", auth.get().username());
        assertEquals("pw", auth.get().password());
        runtime.registry.put("busybox:1", "sha256:b");
        withSecrets.ensure(pod, container("busybox:1", "IfNotPresent"));
        assertEquals(Optional.empty(), runtime.pullAuths.get(1), "no secret for Docker Hub: anonymous");
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
