package dev.kedge.edge.cri.command;

import java.util.Comparator;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.kedge.edge.cri.ContainerInfo;
import dev.kedge.edge.cri.ContainerRuntime;
import dev.kedge.edge.cri.ContainerState;
import dev.kedge.edge.cri.SandboxInfo;

/** {@code cri:ps}: the runtime's containers with their pod, like {@code crictl ps}. */
@Service
@Command(scope = "cri", name = "ps", description = "Lists the container runtime's containers (running ones unless -a)")
public class PsCommand implements Action {
    private static final int SHORT_ID = 13;

    @Reference
    private ContainerRuntime runtime;

    @Option(name = "-a", aliases = "--all", description = "Also created and exited containers")
    private boolean all;

    @Override
    public Object execute() {
        Map<String, SandboxInfo> pods = runtime.listPodSandboxes().stream()
                .collect(Collectors.toMap(SandboxInfo::id, s -> s, (a, b) -> a));
        ShellTable t = new ShellTable();
        t.column("Container");
        t.column("Pod");
        t.column("Name");
        t.column("State");
        t.column("Attempt");
        t.column("Image");
        runtime.listContainers().stream()
                .filter(c -> all || c.state() == ContainerState.RUNNING)
                .sorted(Comparator.comparingLong(ContainerInfo::createdAtNanos).reversed())
                .forEach(c -> {
                    SandboxInfo pod = pods.get(c.sandboxId());
                    t.addRow().addContent(shortId(c.id()),
                            pod == null ? shortId(c.sandboxId()) : pod.namespace() + "/" + pod.name(), c.name(),
                            c.state(), c.attempt(), c.image());
                });
        t.print(System.out);
        return null;
    }

    static String shortId(String id) {
        return id.length() > SHORT_ID ? id.substring(0, SHORT_ID) : id;
    }
}
