package dev.kedge.itests;

import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The classes a JVM has loaded, by name, from {@code jcmd <pid> VM.classloaders show-classes}. */
final class LoadedClasses {
    static final String JACKSON = "com.fasterxml.jackson.";
    static final String OBJECT_MAPPER = "com.fasterxml.jackson.databind.ObjectMapper";

    private LoadedClasses() {
    }

    /** Loaded classes whose name starts with {@code prefix} (no array classes). */
    static Set<String> of(long pid, String prefix) throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        KedgeProcess.Result r = KedgeProcess.run(Path.of("."),
                List.of(jcmd, Long.toString(pid), "VM.classloaders", "show-classes"), Map.of(), 60);
        assertTrue("jcmd VM.classloaders failed: " + r.output(), r.exitCode() == 0);
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)(?:^|\\s)(" + Pattern.quote(prefix) + "[\\w.$]+)").matcher(r.output());
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /**
     * The edge reads and writes JSON with core's Json on jackson-core and databind's tree model: databind's
     * ObjectMapper (and the ~400 classes of serializer machinery it brings) must not be loaded. Prints the count.
     */
    static void assertNoObjectMapper(long pid, String when) throws Exception {
        Set<String> jackson = of(pid, JACKSON);
        long databind = jackson.stream().filter(n -> n.startsWith(JACKSON + "databind.")).count();
        System.out.println("JACKSON " + when + ": " + jackson.size() + " com.fasterxml.jackson classes loaded, "
                + databind + " of databind");
        assertTrue("jcmd listed no Jackson classes at all: the listing is not what this test expects",
                !jackson.isEmpty());
        assertTrue("ObjectMapper loaded in the edge " + when + "; databind classes: "
                + jackson.stream().filter(n -> n.startsWith(JACKSON + "databind.")).toList(),
                !jackson.contains(OBJECT_MAPPER));
    }
}
