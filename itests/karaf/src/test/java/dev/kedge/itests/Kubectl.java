package dev.kedge.itests;

import static org.junit.Assert.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** kubectl 1.20 against the test API server ({@code KUBECONFIG}, PATH from scripts/kube-up.sh), as an admin types it. */
final class Kubectl {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Kubectl() {
    }

    /** Runs kubectl; fails the test unless it exits 0. */
    static String run(String... args) throws Exception {
        KedgeProcess.Result r = tryRun(args);
        assertEquals("kubectl " + String.join(" ", args) + ": " + r.output(), 0, r.exitCode());
        return r.output();
    }

    static KedgeProcess.Result tryRun(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("kubectl"));
        cmd.addAll(List.of(args));
        return KedgeProcess.run(Path.of("."), cmd, Map.of(), 60);
    }

    /** {@code kubectl apply -f -} of a YAML document. */
    static String apply(String yaml) throws Exception {
        List<String> cmd = List.of("kubectl", "apply", "-f", "-");
        KedgeProcess.Result r = KedgeProcess.run(Path.of("."), cmd, Map.of(), 60, yaml);
        assertEquals("kubectl apply: " + r.output(), 0, r.exitCode());
        return r.output();
    }

    /** The object as JSON, or null when kubectl says it does not exist. */
    static JsonNode get(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("get"));
        all.addAll(List.of(args));
        all.addAll(List.of("-o", "json"));
        KedgeProcess.Result r = tryRun(all.toArray(String[]::new));
        if (r.exitCode() != 0) {
            if (r.output().contains("NotFound") || r.output().contains("not found")) {
                return null;
            }
            throw new AssertionError("kubectl " + all + ": " + r.output());
        }
        return JSON.readTree(r.output());
    }

    /** The status of condition {@code type} ("True", "False", "Unknown") of a Node or Pod, or null. */
    static String condition(JsonNode obj, String type) {
        for (JsonNode c : obj.path("status").path("conditions")) {
            if (type.equals(c.path("type").asText())) {
                return c.path("status").asText();
            }
        }
        return null;
    }
}
