package dev.kedge.cloud.sync.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.kedge.cloud.sync.internal.SyncDiagnostics;
import dev.kedge.cloud.sync.internal.SyncDiagnostics.ObjectSyncRow;

@Service
@Command(scope = "sync", name = "objects", description = "ObjectSyncs: what each node acked against the live objects")
public class ObjectsCommand implements Action {

    @Argument(index = 0, name = "node", description = "Only this edge node", required = false)
    private String node = "";

    @Reference
    private SyncDiagnostics sync;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Name");
        table.column("Kind");
        table.column("Object");
        table.column("Acked RV").alignRight();
        table.column("Live RV").alignRight();
        table.column("State");
        for (ObjectSyncRow r : sync.objects(node)) {
            String object = r.namespace().isEmpty() ? r.object() : r.namespace() + "/" + r.object();
            table.addRow().addContent(r.name(), r.kind(), object, r.ackedVersion(), r.liveVersion(), r.state());
        }
        table.print(System.out);
        return null;
    }
}
