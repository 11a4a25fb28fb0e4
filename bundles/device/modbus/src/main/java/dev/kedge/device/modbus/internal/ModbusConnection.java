package dev.kedge.device.modbus.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.ghgande.j2mod.modbus.ModbusException;
import com.ghgande.j2mod.modbus.ModbusSlaveException;
import com.ghgande.j2mod.modbus.procimg.InputRegister;
import com.ghgande.j2mod.modbus.procimg.Register;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.util.BitVector;

import dev.kedge.device.driver.Channel;
import dev.kedge.device.driver.ChannelRecord;
import dev.kedge.device.driver.DeviceConnection;
import dev.kedge.device.driver.DriverException;

/**
 * One device (slave id) on a shared {@link Endpoint}. A bad visitor or a slave's exception answer (illegal address,
 * …) fails that channel only; an I/O error fails the batch with a {@link DriverException} so the host reconnects.
 */
final class ModbusConnection implements DeviceConnection {
    private final ModbusDriver driver;
    private final Endpoint endpoint;
    private final int unitId;
    private volatile boolean closed;

    ModbusConnection(ModbusDriver driver, Endpoint endpoint, int unitId) {
        this.driver = driver;
        this.endpoint = endpoint;
        this.unitId = unitId;
    }

    @Override
    public List<ChannelRecord> read(List<Channel> channels, Duration timeout) throws DriverException {
        ready(timeout);
        List<ChannelRecord> out = new ArrayList<>(channels.size());
        for (Channel c : channels) {
            Visitor v;
            try {
                v = Visitor.of(c);
            } catch (IllegalArgumentException e) {
                out.add(ChannelRecord.failure(c.name(), e.getMessage()));
                continue;
            }
            try {
                out.add(ChannelRecord.success(c.name(), readOne(v)));
            } catch (ModbusSlaveException e) {
                out.add(ChannelRecord.failure(c.name(), "slave " + unitId + " at " + endpoint.key + " refused: "
                        + e.getMessage()));
            } catch (ModbusException | RuntimeException e) {
                endpoint.reset();
                throw new DriverException(endpoint.key + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private String readOne(Visitor v) throws ModbusException {
        var m = endpoint.master();
        switch (v.register()) {
            case COIL, DISCRETE_INPUT -> {
                BitVector bv = v.register() == Visitor.Register.COIL ? m.readCoils(unitId, v.offset(), v.limit())
                        : m.readInputDiscretes(unitId, v.offset(), v.limit());
                boolean[] bits = new boolean[v.limit()];
                for (int i = 0; i < bits.length; i++) {
                    bits[i] = bv.getBit(i);
                }
                return Codec.decodeBits(v, bits);
            }
            default -> {
                InputRegister[] regs = v.register() == Visitor.Register.HOLDING
                        ? m.readMultipleRegisters(unitId, v.offset(), v.limit())
                        : m.readInputRegisters(unitId, v.offset(), v.limit());
                if (regs.length != v.limit()) {
                    throw new ModbusException("answered " + regs.length + " registers for " + v.limit());
                }
                int[] words = new int[regs.length];
                for (int i = 0; i < regs.length; i++) {
                    words[i] = regs[i].getValue();
                }
                return Codec.decodeWords(v, words);
            }
        }
    }

    @Override
    public ChannelRecord write(Channel channel, String value, Duration timeout) throws DriverException {
        Visitor v;
        try {
            v = Visitor.of(channel);
            if (!v.register().writable) {
                return ChannelRecord.failure(channel.name(), v.register() + " registers are read-only");
            }
        } catch (IllegalArgumentException e) {
            return ChannelRecord.failure(channel.name(), e.getMessage());
        }
        ready(timeout);
        var m = endpoint.master();
        try {
            if (v.register() == Visitor.Register.COIL) {
                m.writeCoil(unitId, v.offset(), Codec.bool(value));
            } else {
                int[] words = Codec.encodeWords(v, value);
                if (words.length == 1) {
                    m.writeSingleRegister(unitId, v.offset(), new SimpleRegister(words[0]));
                } else {
                    Register[] regs = new Register[words.length];
                    for (int i = 0; i < words.length; i++) {
                        regs[i] = new SimpleRegister(words[i]);
                    }
                    m.writeMultipleRegisters(unitId, v.offset(), regs);
                }
            }
            return ChannelRecord.success(channel.name(), value.strip());
        } catch (IllegalArgumentException e) {
            return ChannelRecord.failure(channel.name(), e.getMessage());
        } catch (ModbusSlaveException e) {
            return ChannelRecord.failure(channel.name(), "slave " + unitId + " at " + endpoint.key + " refused: "
                    + e.getMessage());
        } catch (ModbusException | RuntimeException e) {
            endpoint.reset();
            throw new DriverException(endpoint.key + ": " + e.getMessage(), e);
        }
    }

    private void ready(Duration timeout) throws DriverException {
        if (closed) {
            throw new DriverException("connection closed");
        }
        try {
            endpoint.ensureConnected(timeout);
        } catch (Exception e) {
            throw new DriverException("cannot reach " + endpoint.key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            driver.release(endpoint);
        }
    }
}
