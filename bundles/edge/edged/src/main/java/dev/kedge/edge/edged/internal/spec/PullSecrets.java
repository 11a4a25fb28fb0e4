package dev.kedge.edge.edged.internal.spec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.core.json.Json;
import dev.kedge.edge.cri.RegistryAuth;

/**
 * Registry credentials from a pod's {@code imagePullSecrets} ({@code kubernetes.io/dockerconfigjson} and the older
 * {@code kubernetes.io/dockercfg}), matched on the registry host. A missing or unreadable secret is logged and
 * skipped, as kubelet does.
 */
final class PullSecrets {
    private static final Logger LOG = LoggerFactory.getLogger(PullSecrets.class);

    private PullSecrets() {
    }

    static List<RegistryAuth> matching(ObjectSource objects, JsonNode pod, String registry) throws PodSpecException {
        List<RegistryAuth> out = new ArrayList<>();
        for (JsonNode ref : pod.path("spec").path("imagePullSecrets")) {
            String name = PodJson.text(ref, "name");
            Optional<JsonNode> secret = objects.secret(PodJson.namespace(pod), name);
            if (secret.isEmpty()) {
                LOG.warn("pod {}/{}: image pull secret \"{}\" not found; pulling without it", PodJson.namespace(pod),
                        PodJson.name(pod), name);
                continue;
            }
            JsonNode data = secret.get().path("data");
            try {
                JsonNode auths;
                if (data.has(".dockerconfigjson")) {
                    auths = Json.parse(decode(data.get(".dockerconfigjson").asText())).path("auths");
                } else if (data.has(".dockercfg")) {
                    auths = Json.parse(decode(data.get(".dockercfg").asText()));
                } else {
                    continue;
                }
                for (Map.Entry<String, JsonNode> e : auths.properties()) {
                    if (sameRegistry(host(e.getKey()), registry)) {
                        out.add(auth(e.getKey(), e.getValue()));
                    }
                }
            } catch (Exception e) {
                LOG.warn("pod {}/{}: image pull secret \"{}\" is unreadable: {}", PodJson.namespace(pod),
                        PodJson.name(pod), name, e.toString());
            }
        }
        return out;
    }

    private static RegistryAuth auth(String server, JsonNode a) {
        String user = PodJson.text(a, "username");
        String password = PodJson.text(a, "password");
        String auth = PodJson.text(a, "auth");
        if (user.isEmpty() && !auth.isEmpty()) {
            String[] up = decode(auth).split(":", 2);
            user = up[0];
            password = up.length > 1 ? up[1] : "";
        }
        return new RegistryAuth(user, password, auth, server, PodJson.text(a, "identitytoken"),
                PodJson.text(a, "registrytoken"));
    }

    private static String decode(String base64) {
        return new String(Base64.getMimeDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    private static String host(String key) {
        String k = key.replaceFirst("^[a-zA-Z]+://", "");
        int slash = k.indexOf('/');
        return slash < 0 ? k : k.substring(0, slash);
    }

    private static boolean sameRegistry(String a, String b) {
        return normal(a).equalsIgnoreCase(normal(b));
    }

    private static String normal(String host) {
        return switch (host) {
            case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com" -> "docker.io";
            default -> host;
        };
    }
}
