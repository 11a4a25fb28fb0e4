package dev.kedge.edge.cri;

/** The outcome of {@link ContainerRuntime#execSync}; stdout/stderr are UTF-8, cut at 1 MiB each. */
public record ExecResult(int exitCode, String stdout, String stderr) {
}
