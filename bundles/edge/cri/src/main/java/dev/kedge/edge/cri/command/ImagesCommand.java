package dev.kedge.edge.cri.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.kedge.edge.cri.ContainerRuntime;
import dev.kedge.edge.cri.ImageInfo;

/** {@code cri:images}: the images the runtime has, like {@code crictl images}. */
@Service
@Command(scope = "cri", name = "images", description = "Lists the container runtime's images")
public class ImagesCommand implements Action {

    @Reference
    private ContainerRuntime runtime;

    @Override
    public Object execute() {
        ShellTable t = new ShellTable();
        t.column("Image");
        t.column("Id");
        t.column("Size").alignRight();
        for (ImageInfo i : runtime.listImages()) {
            String name = i.repoTags().isEmpty() ? String.join(",", i.repoDigests()) : String.join(",", i.repoTags());
            String id = i.id().startsWith("sha256:") ? i.id().substring(7) : i.id();
            t.addRow().addContent(name, PsCommand.shortId(id), mib(i.sizeBytes()));
        }
        t.print(System.out);
        return null;
    }

    private static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
