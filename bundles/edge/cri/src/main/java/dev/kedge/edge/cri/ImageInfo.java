package dev.kedge.edge.cri;

import java.util.List;

/** An image the runtime has: its id (the reference kubelet reports as {@code imageID}), tags, digests, size. */
public record ImageInfo(String id, List<String> repoTags, List<String> repoDigests, long sizeBytes) {
}
