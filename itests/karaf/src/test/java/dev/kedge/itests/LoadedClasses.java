package dev.kedge.itests;

import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The classes a JVM has loaded, per class loader, from {@code jcmd <pid> VM.classloaders show-classes}.
 * <p>Karaf's features service (org.apache.karaf.features.core) embeds a private copy of Jackson and creates an
 * ObjectMapper of it when it reads a feature repository ({@code JacksonUtil}), at every start: that copy lives in the
 * features service's own class loader and is reported apart. The Jackson the edge uses is the jackson-databind bundle.
 */
final class LoadedClasses {
    static final String JACKSON = "com.fasterxml.jackson.";
    static final String OBJECT_MAPPER = "com.fasterxml.jackson.databind.ObjectMapper";
    static final String KARAF_FEATURES = "org.apache.karaf.features.";
    static final String SSHD = "org.apache.sshd.";
    static final String SSH_SERVER = "org.apache.sshd.server.SshServer";
    static final String CONSOLE = "dev.kedge.edge.console.internal.ConsoleComponent";
    /** The JDK's set of public root CAs, read from its whole cacerts file by its own host name check. */
    static final String JDK_ANCHORS = "sun.security.util.AnchorCertificates";
    static final String TLS_HANDSHAKE = "sun.security.ssl.SSLSocketImpl";
    private static final Pattern LOADER = Pattern.compile("^[\\s|]*\\+--");
    private static final Pattern CLASS = Pattern.compile("(?:^|\\s)([a-zA-Z_][\\w$]*(?:\\.[\\w$]+)+)\\s*$");

    /** The Jackson classes of Karaf's features service and those of every other loader. */
    record Jackson(Set<String> karafsCopy, Set<String> others) {
    }

    private LoadedClasses() {
    }

    /** The class names each loader has, in jcmd's order (array classes left out). */
    static List<Set<String>> byLoader(long pid) throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        KedgeProcess.Result r = KedgeProcess.run(Path.of("."),
                List.of(jcmd, Long.toString(pid), "VM.classloaders", "show-classes"), Map.of(), 60);
        assertTrue("jcmd VM.classloaders failed: " + r.output(), r.exitCode() == 0);
        List<Set<String>> loaders = new ArrayList<>();
        Set<String> current = null;
        for (String line : r.output().split("\n")) {
            if (LOADER.matcher(line).find()) {
                current = new TreeSet<>();
                loaders.add(current);
            } else if (current != null) {
                Matcher m = CLASS.matcher(line);
                if (m.find()) {
                    current.add(m.group(1));
                }
            }
        }
        return loaders;
    }

    /** Every loaded class name, whichever loader has it. */
    static Set<String> all(long pid) throws Exception {
        Set<String> all = new TreeSet<>();
        byLoader(pid).forEach(all::addAll);
        return all;
    }

    static Jackson jackson(long pid) throws Exception {
        Set<String> karaf = new TreeSet<>();
        Set<String> others = new TreeSet<>();
        for (Set<String> loader : byLoader(pid)) {
            boolean features = loader.stream().anyMatch(n -> n.startsWith(KARAF_FEATURES));
            loader.stream().filter(n -> n.startsWith(JACKSON)).forEach((features ? karaf : others)::add);
        }
        return new Jackson(karaf, others);
    }

    /**
     * The edge reads and writes JSON with core's Json on jackson-core and databind's tree model: the jackson-databind
     * bundle's ObjectMapper (and the ~400 classes of serializer machinery it brings) must not be loaded.
     */
    static void assertNoObjectMapper(long pid, String when) throws Exception {
        Jackson j = jackson(pid);
        long databind = j.others().stream().filter(n -> n.startsWith(JACKSON + "databind.")).count();
        System.out.println("JACKSON " + when + ": " + j.others().size() + " com.fasterxml.jackson classes of the "
                + "Jackson bundles loaded, " + databind + " of databind; Karaf's features service has "
                + j.karafsCopy().size() + " of its embedded copy");
        assertTrue("jcmd listed no Jackson classes of the bundles: the listing is not what this test expects",
                j.others().contains(JACKSON + "databind.JsonNode"));
        assertTrue("ObjectMapper loaded in the edge " + when + "; databind classes: "
                + j.others().stream().filter(n -> n.startsWith(JACKSON + "databind.")).toList(),
                !j.others().contains(OBJECT_MAPPER));
    }

    /** The Apache SSHD classes loaded, by any loader. */
    static Set<String> sshd(long pid) throws Exception {
        Set<String> all = all(pid);
        assertTrue("jcmd listed no " + CONSOLE + ": the console is not active, or the listing is not what this test"
                + " expects", all.contains(CONSOLE));
        all.removeIf(n -> !n.startsWith(SSHD));
        return all;
    }

    /**
     * The console listens by itself and starts SSHD with the first connection: until then no SSHD class is loaded
     * (about 50 were, at every start, while the console's component named SSHD's types).
     */
    static void assertNoSshd(long pid, String when) throws Exception {
        Set<String> sshd = sshd(pid);
        System.out.println("SSHD " + when + ": " + sshd.size() + " org.apache.sshd classes loaded");
        assertTrue("SSHD classes loaded in the edge " + when + ": " + sshd, sshd.isEmpty());
    }

    /**
     * Kedge trusts its own CA only and checks the cloud's host name itself (core's HostCheckingTrustManager): the
     * JDK's check would first read its whole cacerts file, 140 certificates kept on the heap, at every start.
     */
    static void assertNoJdkAnchors(long pid, String when) throws Exception {
        Set<String> all = all(pid);
        assertTrue("jcmd listed no " + TLS_HANDSHAKE + ": the edge made no TLS connection, or the listing is not what"
                + " this test expects", all.contains(TLS_HANDSHAKE));
        assertTrue(JDK_ANCHORS + " loaded in the edge " + when, !all.contains(JDK_ANCHORS));
    }
}
