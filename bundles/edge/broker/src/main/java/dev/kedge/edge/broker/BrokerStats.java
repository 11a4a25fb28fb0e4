package dev.kedge.edge.broker;

/**
 * The broker's state and counters since it started.
 *
 * @param running        whether the listener is up
 * @param listeners      what it listens on, e.g. {@code tcp://127.0.0.1:1884, ssl://127.0.0.1:8883}
 * @param error          why it is not running (configuration or bind error), or, while running, why its state
 *                       cannot be saved (persistence on); empty when all is well
 * @param connections    clients connected now
 * @param connects       successful CONNECTs since start
 * @param publishesIn    PUBLISH packets accepted from clients
 * @param payloadBytesIn payload bytes of those publishes
 * @param retainedKept   topics whose last retained message is kept for in-process listeners (at most 1,024)
 * @param retainedNotKept retained messages on further topics, not kept for in-process listeners (clients still get
 *                       them from the broker)
 * @param malformedPackets connections closed for a packet that is not valid MQTT 3.1.1 (since 1.3)
 * @param oversizePackets connections closed for a packet larger than the configured maximum (since 1.3)
 * @param droppedMessages deliveries dropped because a session's queue was full, and retained messages not retained
 *                       because the retained store was full (since 1.3)
 * @param connectionsRefused connections refused on accept because maxConnections were open (since 1.4)
 * @param ackBacklogsClosed connections closed because more than maxPendingAcks replies waited for the client to
 *                       read them (since 1.4)
 * @param writeTimeouts  connections closed because one socket write to the client (which stopped reading) took
 *                       longer than the write timeout (since 1.4)
 * @param acceptDropped  connections closed as soon as accepted, because more than the listener's backlog waited to
 *                       be handed to the broker (since 1.5)
 * @param acceptFailures accepts that failed (too many open files, say), each pausing the listener briefly (since 1.5)
 * @since 1.2
 */
public record BrokerStats(boolean running, String listeners, String error, int connections, long connects,
        long publishesIn, long payloadBytesIn, int retainedKept, long retainedNotKept, long malformedPackets,
        long oversizePackets, long droppedMessages, long connectionsRefused, long ackBacklogsClosed,
        long writeTimeouts, long acceptDropped, long acceptFailures) {

    /** Without the 1.5 counters (1.4's constructor, kept for providers built against it). */
    public BrokerStats(boolean running, String listeners, String error, int connections, long connects,
            long publishesIn, long payloadBytesIn, int retainedKept, long retainedNotKept, long malformedPackets,
            long oversizePackets, long droppedMessages, long connectionsRefused, long ackBacklogsClosed,
            long writeTimeouts) {
        this(running, listeners, error, connections, connects, publishesIn, payloadBytesIn, retainedKept,
                retainedNotKept, malformedPackets, oversizePackets, droppedMessages, connectionsRefused,
                ackBacklogsClosed, writeTimeouts, 0, 0);
    }

    /** Without the 1.4 counters (1.3's constructor, kept for providers built against it). */
    public BrokerStats(boolean running, String listeners, String error, int connections, long connects,
            long publishesIn, long payloadBytesIn, int retainedKept, long retainedNotKept, long malformedPackets,
            long oversizePackets, long droppedMessages) {
        this(running, listeners, error, connections, connects, publishesIn, payloadBytesIn, retainedKept,
                retainedNotKept, malformedPackets, oversizePackets, droppedMessages, 0, 0, 0, 0, 0);
    }

    /** Without the 1.3 counters (1.2's constructor, kept for providers built against it). */
    public BrokerStats(boolean running, String listeners, String error, int connections, long connects,
            long publishesIn, long payloadBytesIn, int retainedKept, long retainedNotKept) {
        this(running, listeners, error, connections, connects, publishesIn, payloadBytesIn, retainedKept,
                retainedNotKept, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** Without the retained counts (1.1's constructor, kept for providers built against it). */
    public BrokerStats(boolean running, String listeners, String error, int connections, long connects,
            long publishesIn, long payloadBytesIn) {
        this(running, listeners, error, connections, connects, publishesIn, payloadBytesIn, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0);
    }
}
