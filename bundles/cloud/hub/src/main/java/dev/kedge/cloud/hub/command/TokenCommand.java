package dev.kedge.cloud.hub.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.kedge.cloud.hub.CloudHub;

/** The console's {@code keadm gettoken}. */
@Service
@Command(scope = "cloudhub", name = "token", description = "Print a valid join token for edge nodes")
public class TokenCommand implements Action {

    @Reference
    private CloudHub hub;

    @Override
    public Object execute() {
        System.out.println(hub.joinToken());
        return null;
    }
}
