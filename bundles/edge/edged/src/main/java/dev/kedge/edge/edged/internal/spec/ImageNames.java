package dev.kedge.edge.edged.internal.spec;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Image references as kubelet reads them (the distribution reference grammar): validation, the default
 * {@code :latest} tag, the default pull policy and the registry host that pull secrets are matched against.
 */
final class ImageNames {
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN = DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*(?::[0-9]+)?";
    private static final String PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*";
    private static final String NAME = "(?:" + DOMAIN + "/)?" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*";
    private static final Pattern REFERENCE = Pattern.compile("^(" + NAME + ")(?::([\\w][\\w.-]{0,127}))?"
            + "(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$");

    /** A parsed reference; {@code tag} is empty when none was written. */
    record Ref(String name, String tag, String digest) {
        /** As kubelet pulls it: with {@code :latest} when it has neither tag nor digest. */
        String withDefaultTag() {
            String base = name + (tag.isEmpty() && digest.isEmpty() ? ":latest" : tag.isEmpty() ? "" : ":" + tag);
            return digest.isEmpty() ? base : base + "@" + digest;
        }

        /** The API server's default policy: Always for {@code :latest} or no tag (without digest), else IfNotPresent. */
        String defaultPolicy() {
            return digest.isEmpty() && (tag.isEmpty() || tag.equals("latest")) ? "Always" : "IfNotPresent";
        }

        /** The registry host: the first path element when it looks like a host, else Docker Hub. */
        String registry() {
            int slash = name.indexOf('/');
            if (slash > 0) {
                String first = name.substring(0, slash);
                if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                    return first;
                }
            }
            return "docker.io";
        }
    }

    private ImageNames() {
    }

    static Ref parse(String image) throws PodSpecException {
        String text = image == null ? "" : image.strip();
        Matcher m = REFERENCE.matcher(text);
        if (text.isEmpty() || !m.matches() || m.group(1).length() > 255) {
            throw new PodSpecException(PodSpecException.INVALID_IMAGE_NAME, "Failed to apply default image tag \""
                    + image + "\": couldn't parse image reference \"" + image + "\": invalid reference format");
        }
        Ref ref = new Ref(m.group(1), m.group(2) == null ? "" : m.group(2), m.group(3) == null ? "" : m.group(3));
        if (ref.registry().equals("docker.io") && !ref.name().equals(ref.name().toLowerCase(Locale.ROOT))) {
            // no host part: an upper-case first element is a repository name, and those are lower-case
            throw new PodSpecException(PodSpecException.INVALID_IMAGE_NAME, "Failed to apply default image tag \""
                    + image + "\": couldn't parse image reference \"" + image
                    + "\": invalid reference format: repository name must be lowercase");
        }
        return ref;
    }
}
