package dev.kedge.itests;

import static dev.kedge.itests.EdgeNodeIT.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ghgande.j2mod.modbus.procimg.SimpleDigitalOut;
import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;

import dev.kedge.core.testing.FreePorts;

/**
 * Issue #10 end to end, as an operator sees it: a real kube-apiserver, the cloud and the edge distribution as
 * processes; the edge starts without any driver; Devices applied with kubectl say so; {@code feature:install} of
 * the virtual and Modbus drivers through the console of the same edge JVM (same PID) makes them report into the
 * Devices' status; desired values reach the device; {@code bundle:update} and {@code feature:uninstall} of a driver;
 * the Modbus server (j2mod's own slave, not our code, on loopback) stopped and started again.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class DriversIT {
    static final String PW = "drivers-test-Pw-1";
    static final String RUN = Long.toString(System.currentTimeMillis(), 36);
    static final String NODE = "drv-" + RUN;
    static final String NS = "drv-it-" + RUN;
    static final ObjectMapper JSON = new ObjectMapper();

    static KedgeProcess cloud;
    static KedgeProcess edge;
    static long edgePid;
    static int modbusPort;
    static int mqttPort;
    static Path base;
    static SimpleProcessImage image;

    @BeforeClass
    public static void startAndJoin() throws Exception {
        JoinedPair pair = JoinedPair.unpack("drivers", PW);
        base = pair.base;
        cloud = pair.cloud;
        edge = pair.edge;
        mqttPort = FreePorts.belowEphemeral();
        edge.writeConfig("dev.kedge.edge.broker", Map.of("port", String.valueOf(mqttPort)));
        edge.writeConfig("dev.kedge.edge.eventbus", Map.of("mqttServerInternal", "tcp://127.0.0.1:" + mqttPort));
        edge.writeConfig("dev.kedge.device.host", Map.of("syncIntervalSeconds", "1", "readTimeoutMs", "1000",
                "maxBackoffSeconds", "2"));
        Kubectl.tryRun("create", "namespace", NS);
        pair.startAndJoin(NODE);
        edgePid = edge.pid(5);
        await("devices.kubeedge.io CRDs served", 60,
                () -> Kubectl.tryRun("get", "devices", "-n", NS).exitCode() == 0 ? 1 : null);
        startModbus();
    }

    static void startModbus() throws Exception {
        if (modbusPort == 0) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                modbusPort = s.getLocalPort();
            }
            image = new SimpleProcessImage(1);
            for (int i = 0; i < 10; i++) {
                image.addRegister(new SimpleRegister(0));
                image.addDigitalOut(new SimpleDigitalOut(false));
            }
            image.getRegister(0).setValue(215); // 21.5 °C at scale 0.1
        }
        var slave = ModbusSlaveFactory.createTCPSlave(InetAddress.getLoopbackAddress(), modbusPort, 4, false);
        slave.addProcessImage(1, image);
        slave.open();
    }

    @AfterClass
    public static void stopAll() throws Exception {
        ModbusSlaveFactory.close();
        try (KedgeProcess e = edge; KedgeProcess c = cloud) {
            Kubectl.tryRun("delete", "namespace", NS, "--wait=false");
            Kubectl.tryRun("delete", "node", NODE, "--wait=false");
        }
    }

    /**
     * A clean restart parks Karaf's shell core and features service (and pax-url-aether): the edge reconnects without
     * them, and the first console connection starts them; t2's {@code feature:install} then runs on them so started.
     * No SSHD class is loaded before that connection either (jcmd): the console listens by itself until then.
     */
    @Test
    public void t0_aRestartedEdgeStartsKarafsShellAndFeaturesServiceWithTheFirstConsoleConnection() throws Exception {
        Path log = edge.home().resolve("data/log/karaf.log");
        edge.close();
        int from = Files.readAllLines(log).size();
        edge.start();
        await("the restarted edge connected to CloudHub, seen in its log", 120,
                () -> String.join("\n", tail(log, from)).contains("connected to CloudHub") ? 1 : null);
        edgePid = edge.pid(5);
        await("the restarted edge's console listening, seen in its log", 30,
                () -> String.join("\n", tail(log, from)).contains("SSH console on") ? 1 : null);
        LoadedClasses.assertNoSshd(edgePid, "restarted, before any console connection");
        String restart = String.join("\n", tail(log, from));
        assertTrue("Karaf's shell parked at the stop, so no command registered at the start:\n" + restart,
                !restart.contains("CommandExtension"));
        assertTrue(restart, !restart.contains("features service started for the console"));

        String out = edge.client("kedge", PW, "feature:list -i").output();
        assertTrue("the first connection has the feature: commands:\n" + out, out.contains("kedge-edge-hub"));
        Set<String> sshd = LoadedClasses.sshd(edgePid);
        System.out.println("SSHD after the first console connection: " + sshd.size() + " org.apache.sshd classes loaded");
        assertTrue("the first connection started SSHD: " + sshd.size() + " SSHD classes",
                sshd.contains(LoadedClasses.SSH_SERVER));
        String first = String.join("\n", tail(log, from));
        assertTrue("both started by it, so both were parked:\n" + first, first.contains(
                "Karaf's shell started for the console") && first.contains("features service started for the console"));
    }

    static List<String> tail(Path log, int from) throws IOException {
        List<String> all = Files.readAllLines(log);
        return all.subList(Math.min(from, all.size()), all.size());
    }

    @Test
    public void t1_withoutADriverTheDeviceSaysSo() throws Exception {
        Kubectl.apply(virtualModel() + "---\n" + virtualDevice("counter-1") + "---\n" + modbusModel() + "---\n"
                + modbusDevice("thermo-mb", "0"));
        await("device:list says no driver for virtual", 60, () -> edge.client("kedge", PW, "device:list").output()
                .matches("(?s).*counter-1.*unknown.*no driver for protocol 'virtual'.*") ? 1 : null);
        await("and for modbus", 30, () -> edge.client("kedge", PW, "device:list").output()
                .matches("(?s).*thermo-mb.*unknown.*no driver for protocol 'modbus'.*") ? 1 : null);
        await("state unknown in the Device status", 60, () -> "unknown".equals(stateInApi("counter-1")) ? 1 : null);
    }

    @Test
    public void t2_featureInstallOfTheVirtualDriverMakesItReport() throws Exception {
        double before = edge.rssMiB();
        long t0 = System.nanoTime();
        String out = edge.client("kedge", PW, "feature:install kedge-driver-virtual", 120).output();
        assertTrue(out, !out.toLowerCase().contains("error"));
        await("counter reported in the Device status", 60, () -> reportedInApi("counter-1", "count") != null ? 1
                : null);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        String first = reportedInApi("counter-1", "count");
        await("the counter moves", 30, () -> !first.equals(reportedInApi("counter-1", "count")) ? 1 : null);
        assertEquals("same edge JVM", edgePid, edge.pid(5));
        await("state online in the Device status", 30, () -> "online".equals(stateInApi("counter-1")) ? 1 : null);
        Thread.sleep(5000);
        System.out.printf("DRIVERS feature:install kedge-driver-virtual → first reported value in the API: %d ms;"
                + " edge RSS %.0f MiB before, %.0f MiB after%n", ms, before, edge.rssMiB());
        System.out.println("DRIVERS driver:list\n" + edge.client("kedge", PW, "driver:list").output());
    }

    @Test
    public void t3_aDesiredValueIsWrittenAndReadBack() throws Exception {
        Kubectl.apply(virtualDevice("counter-1").replace("desired: {value: '1'}", "desired: {value: '500'}"));
        await("the lamp level 500 written and reported", 60,
                () -> "500".equals(reportedInApi("counter-1", "level")) ? 1 : null);
    }

    @Test
    public void t4_featureInstallOfModbusReadsAndWritesTheServer() throws Exception {
        double before = edge.rssMiB();
        String out = edge.client("kedge", PW, "feature:install kedge-driver-modbus", 120).output();
        assertTrue(out, !out.toLowerCase().contains("error"));
        await("21.5 from holding register 0 at scale 0.1", 60,
                () -> "21.5".equals(reportedInApi("thermo-mb", "temperature")) ? 1 : null);
        List<Long> ms = new ArrayList<>();
        for (int v = 221; v <= 230; v++) {
            long t0 = System.nanoTime();
            image.getRegister(0).setValue(v);
            String want = v % 10 == 0 ? String.valueOf(v / 10) : (v / 10) + "." + (v % 10);
            await(want + " after the register changed", 30,
                    () -> want.equals(reportedInApi("thermo-mb", "temperature")) ? 1 : null);
            ms.add((System.nanoTime() - t0) / 1_000_000);
        }
        ms.sort(null);
        System.out.println("DRIVERS Modbus register changed → value in the Device status (collectCycle 500 ms,"
                + " kubectl polling included): p50 " + ms.get(4) + " ms, max " + ms.get(9) + " ms");
        Kubectl.apply(modbusDevice("thermo-mb", "42"));
        await("desired 42 written to holding register 1", 60, () -> image.getRegister(1).getValue() == 42 ? 1 : null);
        await("desired true written to coil 2", 30, () -> image.getDigitalOut(2).isSet() ? 1 : null);
        assertEquals("same edge JVM", edgePid, edge.pid(5));
        System.out.printf("DRIVERS feature:install kedge-driver-modbus: edge RSS %.0f MiB before, %.0f MiB after%n",
                before, edge.rssMiB());
        System.out.println("DRIVERS device:read " + edge.client("kedge", PW, "device:read thermo-mb temperature")
                .output().trim());
    }

    /** KubeEdge's own v1beta1 Modbus sample (docs/proposals/device-crd-v1beta1.md); only where it runs is changed. */
    static final String KUBEEDGE_SAMPLE = """
            apiVersion: devices.kubeedge.io/v1beta1
            kind: DeviceModel
            metadata:
              name: beta1-model
            spec:
              properties:
                - name: temp
                  description: beta1-model
                  type: INT
                  accessMode: ReadWrite
                  maximum: "100"
                  minimum: "1"
                  unit: "Celsius"
              protocol: modbus
            ---
            apiVersion: devices.kubeedge.io/v1beta1
            kind: Device
            metadata:
              name: beta1-device
            spec:
              deviceModelRef:
                name: beta1-model
              nodeName: worker-node1
              properties:
                - name: temp
                  collectCycle: 2000      # 2000 stands for 2000 milliseconds (2 seconds)
                  reportCycle: 2000       # 2000 stands for 2000 milliseconds (2 seconds)
                  desired:
                    value: "30"
                  reportToCloud: true
                  visitors:
                    protocolName: modbus
                    configData:
                      register: "HoldingRegister"
                      offset: 2
                      limit: 1
                      scale: 1
                      isSwap: true
                      isRegisterSwap: true
              protocol:
                protocolName: modbus
                configData:
                  ip: 172.17.0.3
                  port: 1502
            """;

    @Test
    public void t4b_kubeEdgesOwnModbusSampleAppliesUnchangedAndWorks() throws Exception {
        String yaml = KUBEEDGE_SAMPLE.replace("nodeName: worker-node1", "nodeName: " + NODE)
                .replace("ip: 172.17.0.3", "ip: 127.0.0.1").replace("port: 1502", "port: " + modbusPort);
        System.out.println("DRIVERS kubectl apply -n " + NS + " of KubeEdge's v1beta1 Modbus sample: "
                + Kubectl.run("apply", "-n", NS, "-f", writeTemp(yaml)).trim().replace('\n', ';'));
        // desired "30" goes to holding register 2 (isSwap: its two bytes swapped on the wire), and is read back
        await("desired 30 written to holding register 2", 60,
                () -> image.getRegister(2).getValue() == 30 || image.getRegister(2).getValue() == 0x1E00 ? 1 : null);
        await("temp 30 reported in the Device status", 60,
                () -> "30".equals(reportedInApi("beta1-device", "temp")) ? 1 : null);
        await("online in the Device status", 30, () -> "online".equals(stateInApi("beta1-device")) ? 1 : null);
    }

    static String writeTemp(String yaml) throws IOException {
        Path f = Files.createTempFile("kubeedge-sample", ".yaml");
        Files.writeString(f, yaml);
        f.toFile().deleteOnExit();
        return f.toString();
    }

    @Test
    public void t5_bundleUpdateOfTheDriverWhileReading() throws Exception {
        String id = bundleId("dev.kedge.device.virtual");
        String last = reportedInApi("counter-1", "count");
        long t0 = System.nanoTime();
        String out = edge.client("kedge", PW, "bundle:update " + id).output();
        assertTrue(out, !out.toLowerCase().contains("error"));
        await("readings continue after bundle:update", 60, () -> {
            String now = reportedInApi("counter-1", "count");
            return now != null && !now.equals(last) ? 1 : null;
        });
        System.out.printf("DRIVERS bundle:update of the virtual driver → next new value in the API after %d ms%n",
                (System.nanoTime() - t0) / 1_000_000);
        await("online again", 30, () -> edge.client("kedge", PW, "device:list").output()
                .matches("(?s).*counter-1.*online.*") ? 1 : null);
    }

    /**
     * The issue's "bundle:update under load": a register ramps every 100 ms, the device reads and reports it every
     * 100 ms. Every report the edge makes is seen on its broker (DeviceTwin's {@code twin/update/document}, with the
     * read time), and the API is polled: both sequences must be in order, and the longest time between two readings
     * around the update is the gap.
     */
    @Test
    public void t5b_bundleUpdateOfModbusUnderLoadKeepsEveryReadingInOrder() throws Exception {
        Kubectl.apply(modbusDevice("ramp-mb", "0").replace("register: HoldingRegister, offset: 0,",
                "register: HoldingRegister, offset: 3,").replace("collectCycle: 500\n    reportCycle: 500",
                "collectCycle: 100\n    reportCycle: 100").replace("scale: 0.1", "scale: 1")
                .replace("dataType: float", "dataType: int"));
        var ramp = Executors.newSingleThreadScheduledExecutor();
        ramp.scheduleAtFixedRate(() -> image.getRegister(3).setValue(image.getRegister(3).getValue() + 1), 0, 100,
                TimeUnit.MILLISECONDS);
        String topic = "$hw/events/device/" + NS + "/ramp-mb/twin/update/document";
        try (Mqtt.Subscriber sub = new Mqtt.Subscriber(mqttPort, topic, base.resolve("ramp-documents.out"))) {
            await("the ramp reports", 60, () -> reportedInApi("ramp-mb", "temperature") != null ? 1 : null);
            List<long[]> api = new ArrayList<>(); // {ms since t0, value}
            long t0 = System.nanoTime();
            long updateStart = -1;
            long updateEnd = -1;
            String id = bundleId("dev.kedge.device.modbus");
            while ((System.nanoTime() - t0) / 1_000_000 < 15_000) {
                if (updateStart < 0 && (System.nanoTime() - t0) / 1_000_000 > 4_000) {
                    updateStart = System.currentTimeMillis();
                    String out = edge.client("kedge", PW, "bundle:update " + id).output();
                    assertTrue(out, !out.toLowerCase().contains("error"));
                    updateEnd = System.currentTimeMillis();
                }
                String v = reportedInApi("ramp-mb", "temperature");
                if (v != null) {
                    api.add(new long[] {(System.nanoTime() - t0) / 1_000_000, (long) Double.parseDouble(v)});
                }
            }
            for (int i = 1; i < api.size(); i++) {
                assertTrue("API: out of order: " + api.get(i - 1)[1] + " then " + api.get(i)[1],
                        api.get(i)[1] >= api.get(i - 1)[1]);
            }
            // the edge's own stream: {read time, value} of every report
            List<long[]> edgeReads = new ArrayList<>();
            for (String doc : sub.payloads(topic)) {
                JsonNode actual = JSON.readTree(doc).path("twin")
                        .path("temperature").path("current").path("actual");
                if (actual.has("value")) {
                    edgeReads.add(new long[] {actual.path("metadata").path("timestamp").asLong(),
                            (long) Double.parseDouble(actual.path("value").asText())});
                }
            }
            assertTrue("reports seen on the broker: " + edgeReads.size(), edgeReads.size() > 50);
            long gap = 0;
            long gapAt = 0;
            for (int i = 1; i < edgeReads.size(); i++) {
                long[] a = edgeReads.get(i - 1);
                long[] b = edgeReads.get(i);
                assertTrue("edge: out of order: " + a[1] + "@" + a[0] + " then " + b[1] + "@" + b[0],
                        b[1] >= a[1] && b[0] >= a[0]);
                if (b[0] - a[0] > gap) {
                    gap = b[0] - a[0];
                    gapAt = a[0];
                }
            }
            long[] last = edgeReads.get(edgeReads.size() - 1);
            assertTrue("readings continue after bundle:update", last[0] > updateEnd);
            System.out.printf("DRIVERS bundle:update of the Modbus driver (console command %d ms) while a register"
                    + " ramps every 100 ms, read and reported every 100 ms: %d reports at the edge and %d API samples,"
                    + " all in order; longest time between two readings %d ms (%d ms after the command started);"
                    + " value %d → %d%n", updateEnd - updateStart, edgeReads.size(), api.size(), gap,
                    gapAt - updateStart, edgeReads.get(0)[1], last[1]);
        } finally {
            ramp.shutdownNow();
            Kubectl.tryRun("delete", "device", "-n", NS, "ramp-mb");
        }
    }

    @Test
    public void t6_featureUninstallLeavesTheDeviceUnattachedAndOthersReporting() throws Exception {
        String out = edge.client("kedge", PW, "feature:uninstall kedge-driver-virtual", 120).output();
        assertTrue(out, !out.toLowerCase().contains("error"));
        await("state unknown in the Device status", 60, () -> "unknown".equals(stateInApi("counter-1")) ? 1 : null);
        image.getRegister(0).setValue(245);
        await("the Modbus device still reports", 30,
                () -> "24.5".equals(reportedInApi("thermo-mb", "temperature")) ? 1 : null);
    }

    @Test
    public void t7_modbusServerStoppedAndStartedAgain() throws Exception {
        ModbusSlaveFactory.close();
        await("offline in device:list", 60, () -> edge.client("kedge", PW, "device:list").output()
                .matches("(?s).*thermo-mb.*offline.*") ? 1 : null);
        await("offline in the Device status", 60, () -> "offline".equals(stateInApi("thermo-mb")) ? 1 : null);
        startModbus();
        image.getRegister(0).setValue(250);
        await("online and reporting again", 60,
                () -> "25".equals(reportedInApi("thermo-mb", "temperature")) ? 1 : null);
        await("online in the Device status", 60, () -> "online".equals(stateInApi("thermo-mb")) ? 1 : null);
    }

    @Test
    public void t8_badInputIsAClearReasonAndHarmless() throws Exception {
        Kubectl.apply(modbusDevice("bad-mb", "0").replace("register: HoldingRegister, offset: 0",
                "register: MagicRegister, offset: 0").replace("port: " + modbusPort, "port: 1"));
        await("unreachable endpoint in device:list", 60, () -> edge.client("kedge", PW, "device:list").output()
                .matches("(?s).*bad-mb.*offline.*cannot reach 127.0.0.1:1.*") ? 1 : null);
        // on the good endpoint: an unknown register type, an offset out of range, a data type Modbus cannot hold
        Kubectl.apply(modbusDevice("bad-visitors", "0").replace("register: HoldingRegister, offset: 0",
                "register: MagicRegister, offset: 0").replace("register: HoldingRegister, offset: 1",
                "register: HoldingRegister, offset: 70000").replace("register: CoilRegister, offset: 2,",
                "register: CoilRegister, offset: 2, dataType: complex,"));
        await("each bad visitor named in device:list", 60, () -> {
            String list = edge.client("kedge", PW, "device:list").output();
            return list.contains("MagicRegister") && list.contains("70000") && list.contains("complex") ? list : null;
        });
        System.out.println("DRIVERS bad input in device:list:\n" + edge.client("kedge", PW, "device:list").output());
        image.getRegister(0).setValue(260);
        await("the good Modbus device still reports", 30,
                () -> "26".equals(reportedInApi("thermo-mb", "temperature")) ? 1 : null);
    }

    // ---- helpers

    static String bundleId(String bsn) throws Exception {
        for (String line : edge.client("kedge", PW, "bundle:list -s -t 0").output().split("\n")) {
            if (line.contains(bsn)) {
                return line.trim().split("\\s*│\\s*|\\s+")[0];
            }
        }
        throw new AssertionError(bsn + " not in bundle:list");
    }

    static String stateInApi(String device) throws Exception {
        JsonNode d = Kubectl.get("device", "-n", NS, device);
        return d == null ? null : d.path("status").path("state").asText(null);
    }

    static String reportedInApi(String device, String property) throws Exception {
        JsonNode d = Kubectl.get("device", "-n", NS, device);
        if (d == null) {
            return null;
        }
        for (JsonNode t : d.path("status").path("twins")) {
            if (property.equals(t.path("propertyName").asText())) {
                return t.path("reported").path("value").asText(null);
            }
        }
        return null;
    }

    static String virtualModel() {
        return "apiVersion: devices.kubeedge.io/v1beta1\nkind: DeviceModel\nmetadata: {name: sim-model, namespace: "
                + NS + "}\nspec:\n  protocol: virtual\n  properties:\n"
                + "  - {name: count, type: INT, accessMode: ReadOnly}\n"
                + "  - {name: level, type: INT, accessMode: ReadWrite}\n";
    }

    static String virtualDevice(String name) {
        return "apiVersion: devices.kubeedge.io/v1beta1\nkind: Device\nmetadata: {name: " + name + ", namespace: " + NS
                + "}\nspec:\n  deviceModelRef: {name: sim-model}\n  nodeName: " + NODE + "\n"
                + "  protocol: {protocolName: virtual, configData: {}}\n"
                + "  properties:\n"
                + "  - name: count\n    reportToCloud: true\n    collectCycle: 100\n    reportCycle: 100\n"
                + "    visitors: {protocolName: virtual, configData: {mode: counter, min: 0, max: 1000000}}\n"
                + "  - name: level\n    desired: {value: '1'}\n    reportToCloud: true\n    collectCycle: 500\n"
                + "    reportCycle: 500\n    visitors: {protocolName: virtual, configData: {mode: constant}}\n";
    }

    /** KubeEdge's v1beta1 Modbus model and device, as its examples write them. */
    static String modbusModel() {
        return "apiVersion: devices.kubeedge.io/v1beta1\nkind: DeviceModel\nmetadata: {name: modbus-model, namespace: "
                + NS + "}\nspec:\n  protocol: modbus\n  properties:\n"
                + "  - {name: temperature, type: FLOAT, accessMode: ReadOnly}\n"
                + "  - {name: setpoint, type: INT, accessMode: ReadWrite}\n"
                + "  - {name: heater, type: BOOLEAN, accessMode: ReadWrite}\n";
    }

    static String modbusDevice(String name, String setpoint) {
        return "apiVersion: devices.kubeedge.io/v1beta1\nkind: Device\nmetadata: {name: " + name + ", namespace: " + NS
                + "}\nspec:\n  deviceModelRef: {name: modbus-model}\n  nodeName: " + NODE + "\n"
                + "  protocol:\n    protocolName: modbus\n    configData: {ip: 127.0.0.1, port: " + modbusPort
                + ", slaveID: 1}\n"
                + "  properties:\n"
                + "  - name: temperature\n    reportToCloud: true\n    collectCycle: 500\n    reportCycle: 500\n"
                + "    visitors:\n      protocolName: modbus\n      configData: {register: HoldingRegister, offset: 0,"
                + " limit: 1, scale: 0.1, isSwap: false, isRegisterSwap: false, dataType: float}\n"
                + "  - name: setpoint\n    desired: {value: '" + setpoint + "'}\n    reportToCloud: true\n"
                + "    collectCycle: 1000\n    reportCycle: 1000\n"
                + "    visitors:\n      protocolName: modbus\n      configData: {register: HoldingRegister, offset: 1,"
                + " limit: 1, scale: 1, dataType: int}\n"
                + "  - name: heater\n    desired: {value: '" + (!"0".equals(setpoint)) + "'}\n    reportToCloud: true\n"
                + "    collectCycle: 1000\n    reportCycle: 1000\n"
                + "    visitors:\n      protocolName: modbus\n      configData: {register: CoilRegister, offset: 2,"
                + " limit: 1}\n";
    }
}
