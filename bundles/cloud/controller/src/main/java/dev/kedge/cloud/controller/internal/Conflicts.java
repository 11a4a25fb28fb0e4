package dev.kedge.cloud.controller.internal;

import java.util.function.Supplier;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** Read-modify-write against the API server: retried on 409 a few times; and the API's own 404 for a missing object. */
final class Conflicts {
    private static final int RETRIES = 5;

    private Conflicts() {
    }

    static <T> T retry(Supplier<T> call) {
        for (int attempt = 1;; attempt++) {
            try {
                return call.get();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= RETRIES) {
                    throw e;
                }
            }
        }
    }

    /** What the API server says for a missing object, e.g. {@code configmaps "c1" not found}. */
    static KubernetesClientException notFound(String kindPlural, String name) {
        return new KubernetesClientException(new StatusBuilder().withStatus("Failure").withCode(404)
                .withReason("NotFound").withMessage(kindPlural + " \"" + name + "\" not found").withNewDetails()
                .withKind(kindPlural).withName(name).endDetails().build());
    }
}
