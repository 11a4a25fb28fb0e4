package dev.kedge.edge.broker.internal;

/** Makes a subscriber that does not read block its connection's writer. */
final class Stalls {
    /** 100 kB per publish: some dozens fill the socket buffers of a client that reads nothing. */
    static final byte[] BIG = new byte[100_000];
    /** Publishes refused in a row, 5 ms apart, that show the writer blocked: a free socket takes 100 kB at once. */
    private static final int REFUSED_IN_A_ROW = 20;

    private Stalls() {
    }

    /**
     * Publishes large QoS 0 messages on {@code prefix + n}, which only the stalling subscriber may subscribe to,
     * until {@value #REFUSED_IN_A_ROW} in a row, 5 ms apart, find its queue (keep sessionQueueSize small) full: its
     * writer is then blocked in a socket write, not just busy. Fails after 20 s.
     */
    static void untilWriterBlocked(BrokerComponent broker, String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        int refused = 0;
        for (int i = 0; refused < REFUSED_IN_A_ROW; i++) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the writer never blocked: " + broker.stats());
            }
            refused = broker.publish(prefix + i, BIG, 0, false) ? 0 : refused + 1;
            Thread.sleep(5);
        }
    }
}
