package dev.kedge.edge.cri;

import java.util.List;
import java.util.Map;

/**
 * What a container is created from (CRI {@code ContainerConfig}). {@code command}/{@code args} follow Kubernetes
 * (command replaces the image's entrypoint, args its cmd). {@code logPath} is relative to the sandbox's log
 * directory, e.g. {@code app/0.log}. {@code runAsUser} null = the image's user. {@code image} is the image as the
 * runtime knows it (the reference from {@link ContainerRuntime#imageStatus}).
 */
public record ContainerSpec(String name, int attempt, String image, List<String> command, List<String> args,
        String workingDir, List<KeyValue> env, List<Mount> mounts, Map<String, String> labels,
        Map<String, String> annotations, String logPath, LinuxResources resources, Long runAsUser,
        boolean privileged, boolean readOnlyRootFilesystem, boolean tty, boolean stdin) {
}
