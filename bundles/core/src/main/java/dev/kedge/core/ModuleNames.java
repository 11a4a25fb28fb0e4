package dev.kedge.core;

/** KubeEdge's beehive module names and groups; {@link Module} services carry them as service properties. */
public final class ModuleNames {
    // edge modules (name → group)
    public static final String EDGED = "edged";
    public static final String EDGEHUB = "websocket";
    public static final String METAMANAGER = "metamanager";
    public static final String TWIN = "twin";
    public static final String EVENTBUS = "eventbus";
    /** KubeEdge's other edge modules: Kedge has none of them, but their messages come from the edge, not the cloud. */
    public static final String SERVICEBUS = "servicebus";
    public static final String METASERVER = "metaserver";
    public static final String EDGESTREAM = "edgestream";
    public static final String TASKMANAGER = "taskmanager";
    /** The source EdgeHub's link events carry (see {@link CloudLink}); its module name is {@link #EDGEHUB}. */
    public static final String EDGEHUB_SOURCE = CloudLink.SOURCE;

    public static final String GROUP_EDGED = "edged";
    public static final String GROUP_HUB = "hub";
    public static final String GROUP_META = "meta";
    public static final String GROUP_TWIN = "twin";
    public static final String GROUP_BUS = "bus";

    // cloud modules: name = group
    public static final String CLOUDHUB = "cloudhub";
    public static final String EDGECONTROLLER = "edgecontroller";
    public static final String DEVICECONTROLLER = "devicecontroller";
    public static final String SYNCCONTROLLER = "synccontroller";

    // route groups on the wire
    public static final String ROUTE_RESOURCE = "resource";
    public static final String ROUTE_FUNC = "func";
    public static final String ROUTE_USER = "user";
    public static final String ROUTE_TWIN = "twin";
    public static final String ROUTE_META = "meta";

    private ModuleNames() {
    }
}
