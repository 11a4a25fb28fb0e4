package dev.kedge.edge.cri;

/** Credentials for one pull, from an image pull secret (CRI {@code AuthConfig}). */
public record RegistryAuth(String username, String password, String auth, String serverAddress,
        String identityToken, String registryToken) {
}
