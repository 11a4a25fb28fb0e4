package dev.kedge.edge.meta.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.kedge.edge.meta.MetaEntry;
import dev.kedge.edge.meta.MetaManager;

/** {@code meta:list [type]}: the rows of the meta table. */
@Service
@Command(scope = "meta", name = "list", description = "Lists the meta table: key, type, resourceVersion, size")
public class ListCommand implements Action {

    @Reference
    private MetaManager meta;

    @Argument(index = 0, name = "type", description = "Only rows of this resource type, e.g. pod, configmap")
    private String type;

    @Override
    public Object execute() {
        ShellTable t = new ShellTable();
        t.column("Key");
        t.column("Type");
        t.column("ResourceVersion");
        t.column("Size").alignRight();
        for (MetaEntry e : meta.list(type)) {
            t.addRow().addContent(e.key(), e.type(), e.resourceVersion().isEmpty() ? "-" : e.resourceVersion(),
                    e.sizeBytes());
        }
        t.print(System.out);
        return null;
    }
}
