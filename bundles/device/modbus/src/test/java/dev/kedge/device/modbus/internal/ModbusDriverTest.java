package dev.kedge.device.modbus.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.ghgande.j2mod.modbus.procimg.SimpleDigitalIn;
import com.ghgande.j2mod.modbus.procimg.SimpleDigitalOut;
import com.ghgande.j2mod.modbus.procimg.SimpleInputRegister;
import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;

import dev.kedge.device.driver.Channel;
import dev.kedge.device.driver.ChannelRecord;
import dev.kedge.device.driver.DeviceConnection;
import dev.kedge.device.driver.DriverException;

/** The driver against j2mod's own Modbus TCP slave (not our code) on loopback. */
class ModbusDriverTest {
    static final Duration T = Duration.ofSeconds(2);
    private ModbusSlave slave;
    private SimpleProcessImage image;
    private int port;
    private final ModbusDriver driver = new ModbusDriver();

    @BeforeEach
    void pickPortAndStart() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        startSlave();
    }

    /** The slave on {@link #port} with a fresh process image. */
    void startSlave() throws Exception {
        image = new SimpleProcessImage(1);
        for (int i = 0; i < 10; i++) {
            image.addRegister(new SimpleRegister(0));
            image.addInputRegister(new SimpleInputRegister(100 + i));
            image.addDigitalOut(new SimpleDigitalOut(false));
            image.addDigitalIn(new SimpleDigitalIn(i % 2 == 0));
        }
        image.getRegister(0).setValue(222);          // 22.2 at scale 0.1 (not 22.200000000000003)
        image.getRegister(1).setValue(-3);           // a signed int
        int f = Float.floatToIntBits(1.1f);           // float32, registers swapped: low word first
        image.getRegister(2).setValue(f & 0xffff);
        image.getRegister(3).setValue(f >>> 16);
        image.getRegister(4).setValue(0x3412);       // 0x1234 with bytes swapped
        slave = ModbusSlaveFactory.createTCPSlave(InetAddress.getLoopbackAddress(), port, 4, false);
        slave.addProcessImage(1, image);
        slave.open();
    }

    @AfterEach
    void stop() {
        driver.deactivate();
        ModbusSlaveFactory.close();
    }

    private Map<String, String> device() {
        return Map.of("ip", "127.0.0.1", "port", String.valueOf(port), "slaveID", "1");
    }

    private static Channel ch(String name, String type, String... kv) {
        Map<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return new Channel(name, type, m);
    }

    @Test
    void readsEveryRegisterTypeWithScaleAndSwaps() throws Exception {
        try (DeviceConnection c = driver.connect("ns/d", device())) {
            List<ChannelRecord> r = c.read(List.of(
                    ch("temp", "float", "register", "HoldingRegister", "offset", "0", "limit", "1", "scale", "0.1"),
                    ch("signed", "int", "register", "HoldingRegister", "offset", "1"),
                    ch("f32", "", "register", "HoldingRegister", "offset", "2", "limit", "2", "dataType", "float",
                            "isRegisterSwap", "true"),
                    ch("swapped", "int", "register", "HoldingRegister", "offset", "4", "isSwap", "true"),
                    ch("input", "int", "register", "InputRegister", "offset", "3", "scale", "2"),
                    ch("coil", "boolean", "register", "CoilRegister", "offset", "1"),
                    ch("din", "boolean", "register", "DiscreteInputRegister", "offset", "2")), T);
            assertEquals(List.of("22.2", "-3", "1.1", String.valueOf(0x1234), "206", "false", "true"),
                    r.stream().map(ChannelRecord::value).toList(), r.toString());
        }
    }

    @Test
    void writesCoilsAndHoldingRegisters() throws Exception {
        try (DeviceConnection c = driver.connect("ns/d", device())) {
            Channel coil = ch("switch", "boolean", "register", "CoilRegister", "offset", "3");
            Channel temp = ch("setpoint", "float", "register", "HoldingRegister", "offset", "5", "scale", "0.1",
                    "min", "0", "max", "100");
            Channel f32 = ch("f32", "float", "register", "HoldingRegister", "offset", "6", "limit", "2");
            assertTrue(c.write(coil, "true", T).ok());
            assertTrue(c.write(temp, "42.5", T).ok());
            assertTrue(c.write(f32, "-1.5", T).ok());
            assertTrue(image.getDigitalOut(3).isSet());
            assertEquals(425, image.getRegister(5).getValue());
            assertEquals(-1.5f, Float.intBitsToFloat(image.getRegister(6).getValue() << 16
                    | image.getRegister(7).getValue()));
            assertEquals("42.5", c.read(List.of(temp), T).get(0).value());
            ChannelRecord out = c.write(temp, "150", T);
            assertFalse(out.ok());
            assertTrue(out.reason().contains("outside"), out.reason());
            ChannelRecord ro = c.write(ch("in", "int", "register", "InputRegister"), "1", T);
            assertTrue(ro.reason().contains("read-only"), ro.reason());
        }
    }

    @Test
    void badChannelsFailAloneWithAReason() throws Exception {
        try (DeviceConnection c = driver.connect("ns/d", device())) {
            List<ChannelRecord> r = c.read(List.of(
                    ch("unknown", "", "register", "MagicRegister"),
                    ch("beyond", "int", "register", "HoldingRegister", "offset", "500"),
                    ch("huge", "int", "register", "HoldingRegister", "offset", "65535", "limit", "2"),
                    ch("badtype", "", "register", "HoldingRegister", "dataType", "complex"),
                    ch("good", "int", "register", "HoldingRegister", "offset", "1")), T);
            assertTrue(r.get(0).reason().contains("unknown register type 'MagicRegister'"), r.get(0).reason());
            assertTrue(r.get(1).reason().contains("refused"), r.get(1).reason());
            assertTrue(r.get(2).reason().contains("passes address 65535"), r.get(2).reason());
            assertTrue(r.get(3).reason().contains("unknown dataType"), r.get(3).reason());
            assertEquals("-3", r.get(4).value());
        }
    }

    @Test
    void devicesAtOneEndpointShareOneConnection() throws Exception {
        try (DeviceConnection a = driver.connect("ns/a", device());
                DeviceConnection b = driver.connect("ns/b", device())) {
            assertEquals(1, driver.endpoints());
            assertEquals("-3", b.read(List.of(ch("s", "int", "register", "HoldingRegister", "offset", "1")), T)
                    .get(0).value());
            a.close();
            assertEquals(1, driver.endpoints());
        }
        assertEquals(0, driver.endpoints());
    }

    @Test
    void unreachableEndpointAndServerRestart() throws Exception {
        DriverException e = assertThrows(DriverException.class, () -> driver.connect("ns/x",
                Map.of("ip", "127.0.0.1", "port", "1")));
        assertTrue(e.getMessage().contains("cannot reach 127.0.0.1:1"), e.getMessage());
        assertThrows(DriverException.class, () -> driver.connect("ns/x", Map.of("port", "502")));
        assertThrows(DriverException.class, () -> driver.connect("ns/x", Map.of("ip", "127.0.0.1",
                "communicateMode", "RTU")));

        DeviceConnection c = driver.connect("ns/d", device());
        Channel s = ch("s", "int", "register", "HoldingRegister", "offset", "1");
        assertEquals("-3", c.read(List.of(s), T).get(0).value());
        ModbusSlaveFactory.close();
        boolean failed = false;
        for (int i = 0; i < 30 && !failed; i++) {
            try {
                c.read(List.of(s), Duration.ofMillis(300));
                Thread.sleep(100);
            } catch (DriverException stopped) {
                failed = true;
            }
        }
        assertTrue(failed, "reads fail once the server is gone");
        startSlave();
        assertEquals("-3", c.read(List.of(s), T).get(0).value()); // the endpoint reconnects
        c.close();
    }
}
