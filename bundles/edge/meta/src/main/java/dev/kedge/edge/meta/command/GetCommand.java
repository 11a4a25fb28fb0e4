package dev.kedge.edge.meta.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.kedge.core.json.Json;
import dev.kedge.edge.meta.MetaManager;

/** {@code meta:get <key>}: the stored JSON of one row, indented. */
@Service
@Command(scope = "meta", name = "get", description = "Prints the stored JSON of a meta row")
public class GetCommand implements Action {

    @Reference
    private MetaManager meta;

    @Argument(index = 0, name = "key", required = true, description = "<namespace>/<type>/<name>, e.g. default/pod/nginx")
    private String key;

    @Override
    public Object execute() {
        String value = meta.get(key).orElse(null);
        if (value == null) {
            System.err.println("no meta row with key " + key);
            return null;
        }
        try {
            System.out.println(Json.writePretty(Json.parse(value)));
        } catch (java.io.IOException e) {
            System.out.println(value); // not JSON: print as stored
        }
        return null;
    }
}
