package dev.kedge.edge.hub.command;

import java.util.concurrent.TimeUnit;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.osgi.service.cm.ConfigurationAdmin;

import dev.kedge.core.SharedScheduler;
import dev.kedge.core.tls.JoinToken;
import dev.kedge.core.tls.TlsException;
import dev.kedge.edge.hub.internal.EdgeHubComponent;
import dev.kedge.edge.hub.internal.HubConfigWriter;
import dev.kedge.edge.hub.internal.HubSettings;

/**
 * {@code kedge:join}, the console form of {@code keadm join}: writes EdgeHub's configuration through
 * ConfigurationAdmin (Karaf keeps it in etc/dev.kedge.edge.hub.cfg); EdgeHub then fetches its certificates with
 * the token and connects.
 */
@Service
@Command(scope = "kedge", name = "join", description = "Joins this edge node to a cloud (the console form of keadm join)")
public class JoinCommand implements Action {
    /** Long enough for every rewrite of {@link HubConfigWriter} and its quiet periods. */
    private static final long KEEP_WAIT_SECONDS = 15;

    @Reference
    private ConfigurationAdmin configAdmin;

    @Reference
    private SharedScheduler scheduler;

    @Option(name = "--cloud", aliases = {"--cloudcore-ipport"}, required = true,
            description = "CloudHub WebSocket address host:port (KubeEdge port 10000)")
    private String cloud;

    @Option(name = "--token", required = true, description = "Join token, from keadm gettoken or cloudhub:token")
    private String token;

    @Option(name = "--node-name", aliases = {"--edgenode-name"}, description = "Node name (default: this host's name)")
    private String nodeName;

    @Option(name = "--http-server", description = "CloudHub HTTPS address (default: https://<cloud host>:10002)")
    private String httpServer;

    @Override
    public Object execute() throws Exception {
        String server;
        try {
            server = HubSettings.normalizeServer(cloud);
            JoinToken.parse(token);
            if (nodeName != null) {
                HubSettings.checkNodeName(nodeName.strip());
            }
        } catch (IllegalArgumentException | TlsException e) {
            System.err.println("kedge:join: " + e.getMessage());
            return null;
        }
        Object[] configuredNode = new Object[1];
        Boolean kept = HubConfigWriter.write(configAdmin, scheduler, props -> {
            props.put("server", server);
            props.put("token", token.strip());
            if (nodeName != null) {
                props.put("nodeName", nodeName.strip());
            }
            if (httpServer != null) {
                props.put("httpServer", httpServer.strip());
            } else {
                props.remove("httpServer"); // derive it from the new server, not from a previous join
            }
            configuredNode[0] = props.get("nodeName");
            return props;
        }, now -> server.equals(now.get("server"))).get(KEEP_WAIT_SECONDS, TimeUnit.SECONDS);
        if (!kept) {
            System.err.println("kedge:join: the configuration was undone again and again (etc/" + EdgeHubComponent.PID
                    + ".cfg rewritten meanwhile?); run it again");
            return null;
        }
        String node = configuredNode[0] == null || configuredNode[0].toString().isBlank() ? HubSettings.hostName()
                : configuredNode[0].toString();
        String https = httpServer != null ? httpServer.strip()
                : "https://" + server.replaceFirst(":\\d+$", "") + ":" + HubSettings.DEFAULT_HTTPS_PORT;
        System.out.println("Configuration " + EdgeHubComponent.PID + " updated (kept in etc/" + EdgeHubComponent.PID
                + ".cfg).");
        System.out.println("EdgeHub now fetches the CA and a certificate for node \"" + node + "\" from " + https
                + ", pinned by the token,");
        System.out.println("then connects to wss://" + server + ". The token is removed once the certificates are"
                + " stored. Follow it with edgehub:status.");
        return null;
    }
}
