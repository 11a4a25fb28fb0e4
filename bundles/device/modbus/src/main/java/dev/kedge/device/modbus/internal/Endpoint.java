package dev.kedge.device.modbus.internal;

import java.time.Duration;

import com.ghgande.j2mod.modbus.facade.ModbusTCPMaster;

/**
 * One Modbus TCP endpoint ({@code ip:port}) shared by every device (slave id) behind it: one socket, requests one at a
 * time (j2mod's master is synchronized). Reference-counted by {@link ModbusDriver}; the last device to leave closes it.
 */
final class Endpoint {
    final String key;
    private final ModbusTCPMaster master;
    private int users; // guarded by ModbusDriver's map lock

    Endpoint(String ip, int port, Duration timeout) {
        this.key = ip + ":" + port;
        this.master = new ModbusTCPMaster(ip, port, (int) Math.max(1, timeout.toMillis()), false);
    }

    ModbusTCPMaster master() {
        return master;
    }

    /** Connects unless connected; throws j2mod's reason (connection refused, timeout). */
    synchronized void ensureConnected(Duration timeout) throws Exception {
        master.setTimeout((int) Math.max(1, timeout.toMillis()));
        if (!master.isConnected()) {
            master.connect();
        }
    }

    /** Drops the socket after an I/O error: the next call reconnects. Also unblocks a call waiting on it. */
    void reset() {
        master.disconnect();
    }

    int acquire() {
        return ++users;
    }

    int release() {
        return --users;
    }
}
