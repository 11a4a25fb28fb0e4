package dev.kedge.edge.broker.internal;

/** Makes a subscriber that does not read block its connection's writer. */
final class Stalls {
    /** 100 kB per publish: a few fill the socket buffers of a client that reads nothing. */
    static final byte[] BIG = new byte[100_000];

    private Stalls() {
    }

    /**
     * Publishes large QoS 0 messages on {@code prefix + n} until the broker drops one: the subscriber's queue (keep
     * sessionQueueSize small) is full, so its writer is blocked in a socket write. Fails after 10 s or 3,000 publishes.
     */
    static void untilWriterBlocked(BrokerComponent broker, String prefix) throws InterruptedException {
        long dropped = broker.stats().droppedMessages();
        long deadline = System.nanoTime() + 10_000_000_000L;
        for (int i = 0; broker.stats().droppedMessages() == dropped; i++) {
            if (i >= 3_000 || System.nanoTime() > deadline) {
                throw new AssertionError("the writer never blocked: " + broker.stats());
            }
            broker.publish(prefix + i, BIG, 0, false);
            if (i % 50 == 49) {
                Thread.sleep(1); // let the lane write what it can
            }
        }
    }
}
