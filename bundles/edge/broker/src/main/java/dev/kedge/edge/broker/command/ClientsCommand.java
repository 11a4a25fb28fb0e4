package dev.kedge.edge.broker.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.kedge.edge.broker.BrokerClient;
import dev.kedge.edge.broker.MqttBroker;

/** {@code broker:clients}: the MQTT clients connected to the embedded broker. */
@Service
@Command(scope = "broker", name = "clients", description = "Lists the MQTT clients connected to the embedded broker")
public class ClientsCommand implements Action {

    @Reference
    private MqttBroker broker;

    @Override
    public Object execute() {
        ShellTable t = new ShellTable();
        t.column("Client ID");
        t.column("Address");
        t.column("Port");
        for (BrokerClient c : broker.clients()) {
            t.addRow().addContent(c.clientId(), c.address(), c.port() == 0 ? "-" : c.port());
        }
        t.print(System.out);
        return null;
    }
}
