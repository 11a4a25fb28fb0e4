package dev.kedge.edge.broker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.kedge.core.net.Acceptor;
import dev.kedge.core.net.Listening;
import dev.kedge.core.testing.FreePorts;
import dev.kedge.edge.broker.BrokerStats;

/**
 * What the broker's listeners count on accept (drops, failures), which no client can provoke on demand, reaches
 * {@code broker:stats}: the real acceptor listens, the counts are set on its handles.
 */
class AcceptCountersTest {

    @Test
    void theListenersDropsAndFailuresReachTheStats() throws Exception {
        Acceptor counting = (name, address, backlog, onAccept) -> {
            Listening real = Configs.ACCEPTOR.listen(name, address, backlog, onAccept);
            return new Listening() {
                @Override
                public InetSocketAddress address() {
                    return real.address();
                }

                @Override
                public long accepted() {
                    return real.accepted();
                }

                @Override
                public long dropped() {
                    return 3;
                }

                @Override
                public long failures() {
                    return 2;
                }

                @Override
                public void close() {
                    real.close();
                }
            };
        };
        int port = FreePorts.belowEphemeral();
        BrokerComponent broker = new BrokerComponent(Configs.of(BrokerConfig.class, Map.of("port", port)),
                Configs.SCHEDULER, counting);
        try {
            BrokerStats s = broker.stats();
            assertTrue(s.running(), s.error());
            assertEquals(3, s.acceptDropped());
            assertEquals(2, s.acceptFailures());
        } finally {
            broker.deactivate();
        }
    }
}
