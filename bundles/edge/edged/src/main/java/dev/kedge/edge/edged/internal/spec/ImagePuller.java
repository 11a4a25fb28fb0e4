package dev.kedge.edge.edged.internal.spec;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.edge.cri.ContainerRuntime;
import dev.kedge.edge.cri.ImageInfo;
import dev.kedge.edge.cri.RegistryAuth;
import dev.kedge.edge.cri.RuntimeCallException;

/**
 * Makes a container's image present the way kubelet's image manager does: pull policy Always / IfNotPresent /
 * Never (default from the tag), {@code ImageStatus} before {@code PullImage}, and per pod and image a back-off after
 * failed pulls (10 s doubling to 5 min) during which the answer is {@code ImagePullBackOff} without pulling.
 * Credentials come from the pod's {@code imagePullSecrets} when an {@link ObjectSource} is given.
 * <p>Note: containerd's PullImage always asks the registry, so with policy Always and no registry reachable the pull
 * fails even when the image is present locally, as it does under kubelet; use IfNotPresent for offline nodes.
 */
public final class ImagePuller {
    private static final Logger LOG = LoggerFactory.getLogger(ImagePuller.class);

    private final ContainerRuntime runtime;
    private final ObjectSource objects;
    private final PullBackoff backoff;

    public ImagePuller(ContainerRuntime runtime, Clock clock) {
        this(runtime, clock, null);
    }

    /** With {@code objects}, the pod's {@code imagePullSecrets} are used for the pulls. */
    public ImagePuller(ContainerRuntime runtime, Clock clock, ObjectSource objects) {
        this.runtime = runtime;
        this.objects = objects;
        this.backoff = new PullBackoff(clock);
    }

    /**
     * Returns the image reference to create the container from (the runtime's image id). Throws with reason
     * {@code InvalidImageName}, {@code ImageInspectError}, {@code ErrImageNeverPull}, {@code ErrImagePull} or
     * {@code ImagePullBackOff}. Blocks while pulling (the runtime's pull deadline): call it from the pod's worker.
     */
    public String ensure(JsonNode pod, JsonNode container) throws PodSpecException {
        String image = PodJson.text(container, "image");
        ImageNames.Ref ref = ImageNames.parse(image);
        String pullName = ref.withDefaultTag();
        String policy = PodJson.text(container, "imagePullPolicy");
        if (policy.isEmpty()) {
            policy = ref.defaultPolicy();
        }
        if (!policy.equals("Always")) {
            Optional<ImageInfo> present = status(pullName);
            if (present.isPresent()) {
                return present.get().id();
            }
            if (policy.equals("Never")) {
                throw new PodSpecException(PodSpecException.ERR_IMAGE_NEVER_PULL,
                        "Container image \"" + image + "\" is not present with pull policy of Never");
            }
        }
        String key = PodJson.uid(pod) + "_" + image;
        String lastError = backoff.inBackoff(key);
        if (lastError != null) {
            throw new PodSpecException(PodSpecException.IMAGE_PULL_BACKOFF,
                    "Back-off pulling image \"" + image + "\": " + lastError);
        }
        try {
            String id = pull(pod, pullName, ref.registry());
            backoff.succeeded(key);
            LOG.info("pulled image {} for pod {}/{}: {}", pullName, PodJson.namespace(pod), PodJson.name(pod), id);
            return id;
        } catch (RuntimeCallException e) {
            String message = e.getMessage();
            Duration next = backoff.failed(key, message);
            if (policy.equals("Always") && presentQuietly(pullName)) {
                LOG.warn("pull of {} failed although the image is present locally (policy Always asks the registry "
                        + "every time; IfNotPresent would use the local image); retry in {} s: {}", pullName,
                        next.toSeconds(), message);
            } else {
                LOG.warn("pull of {} for pod {}/{} failed; retry in {} s: {}", pullName, PodJson.namespace(pod),
                        PodJson.name(pod), next.toSeconds(), message);
            }
            throw new PodSpecException(PodSpecException.ERR_IMAGE_PULL, message);
        }
    }

    /** Forgets the back-off of a deleted pod. */
    public void forget(String podUid) {
        backoff.forget(podUid + "_");
    }

    private Optional<ImageInfo> status(String image) throws PodSpecException {
        try {
            return runtime.imageStatus(image);
        } catch (RuntimeCallException e) {
            throw new PodSpecException(PodSpecException.IMAGE_INSPECT_ERROR,
                    "Failed to inspect image \"" + image + "\": " + e.getMessage());
        }
    }

    private boolean presentQuietly(String image) {
        try {
            return runtime.imageStatus(image).isPresent();
        } catch (RuntimeCallException e) {
            return false;
        }
    }

    /** Pulls anonymously, or with each matching pull secret in turn until one works (as kubelet does). */
    private String pull(JsonNode pod, String image, String registry) throws PodSpecException {
        List<RegistryAuth> auths = new ArrayList<>();
        if (objects != null) {
            auths = PullSecrets.matching(objects, pod, registry);
        }
        if (auths.isEmpty()) {
            return runtime.pullImage(image, Optional.empty());
        }
        RuntimeCallException last = null;
        for (RegistryAuth auth : auths) {
            try {
                return runtime.pullImage(image, Optional.of(auth));
            } catch (RuntimeCallException e) {
                last = e;
            }
        }
        throw last;
    }
}
