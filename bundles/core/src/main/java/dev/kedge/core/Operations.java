package dev.kedge.core;

/** KubeEdge's {@code route.operation} values (beehive model, edge and cloud message constants). */
public final class Operations {
    public static final String INSERT = "insert";
    public static final String UPDATE = "update";
    public static final String DELETE = "delete";
    public static final String QUERY = "query";
    public static final String PATCH = "patch";
    public static final String UPLOAD = "upload";
    public static final String RESPONSE = "response";
    public static final String ERROR = "error";
    public static final String KEEPALIVE = "keepalive";
    /** Edge-internal broadcast of the cloud link state (resource {@code node/connection}). */
    public static final String CONNECT = "connect";
    /** CloudHub → controllers node link events. */
    public static final String CONNECTED = "connected";
    public static final String DISCONNECTED = "disconnected";
    public static final String SUBSCRIBE = "subscribe";
    public static final String UNSUBSCRIBE = "unsubscribe";
    public static final String MESSAGE = "message";
    public static final String PUBLISH = "publish";

    /** Content of a successful ack. */
    public static final String OK = "OK";
    /**
     * Kedge-internal, never on the wire: a controller tells CloudHub that the node's edge lost its database, so the
     * versions it acked before no longer keep a resend out.
     */
    public static final String RESYNC = "resync";

    private Operations() {
    }
}
