package dev.kedge.edge.edged.internal.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A sandbox's DNS as kubelet derives it from {@code dnsPolicy} and {@code dnsConfig}. This node has no cluster DNS,
 * so {@code ClusterFirst} falls back to {@code Default} as kubelet does without {@code clusterDNS}. All empty means
 * "the host's resolv.conf" to the runtime; the host file is read only when {@code dnsConfig} must be merged into it.
 */
record Dns(List<String> servers, List<String> searches, List<String> options) {
    static final Dns HOST = new Dns(List.of(), List.of(), List.of());

    static Dns of(JsonNode pod, Path resolvConf) {
        JsonNode spec = pod.path("spec");
        String policy = PodJson.text(spec, "dnsPolicy");
        JsonNode config = spec.path("dnsConfig");
        boolean hasConfig = config.isObject() && config.size() > 0;
        if (!policy.equals("None") && !hasConfig) {
            return HOST;
        }
        List<String> servers = new ArrayList<>();
        List<String> searches = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        if (!policy.equals("None")) {
            readHost(resolvConf, servers, searches, options);
        }
        for (JsonNode s : config.path("nameservers")) {
            if (!servers.contains(s.asText())) {
                servers.add(s.asText());
            }
        }
        for (JsonNode s : config.path("searches")) {
            if (!searches.contains(s.asText())) {
                searches.add(s.asText());
            }
        }
        for (JsonNode o : config.path("options")) {
            String name = PodJson.text(o, "name");
            if (!name.isEmpty()) {
                options.put(name, o.hasNonNull("value") ? name + ":" + o.get("value").asText() : name);
            }
        }
        return new Dns(servers, searches.size() > 6 ? searches.subList(0, 6) : searches,
                new ArrayList<>(options.values()));
    }

    private static void readHost(Path resolvConf, List<String> servers, List<String> searches,
            Map<String, String> options) {
        List<String> lines;
        try {
            lines = Files.readAllLines(resolvConf);
        } catch (IOException e) {
            return;
        }
        for (String line : lines) {
            String[] f = line.strip().split("\\s+");
            if (f.length < 2 || f[0].startsWith("#") || f[0].startsWith(";")) {
                continue;
            }
            switch (f[0]) {
                case "nameserver" -> servers.add(f[1]);
                case "search", "domain" -> {
                    searches.clear();
                    for (int i = 1; i < f.length; i++) {
                        searches.add(f[i]);
                    }
                }
                case "options" -> {
                    for (int i = 1; i < f.length; i++) {
                        options.put(f[i].split(":", 2)[0], f[i]);
                    }
                }
                default -> {
                }
            }
        }
    }
}
