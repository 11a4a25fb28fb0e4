package dev.kedge.cloud.device.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * The device CRDs kept as resources of this bundle ({@code devices.yaml}, {@code devicemodels.yaml},
 * {@code devicestatuses.yaml}): created when missing, never replaced (an installed KubeEdge schema stays), then
 * awaited until Established. Reports what the API server actually serves: DeviceStatus or not, Device status
 * subresource or not.
 */
final class DeviceCrds {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceCrds.class);
    static final List<ResourceDefinitionContext> KINDS = List.of(DeviceKinds.DEVICE, DeviceKinds.MODEL, DeviceKinds.STATUS);

    /** What the installed CRDs offer. */
    record Served(boolean deviceStatusKind, boolean deviceStatusSubresource) {
    }

    private DeviceCrds() {
    }

    static CustomResourceDefinition definition(KubernetesClient client, ResourceDefinitionContext kind) {
        String file = kind.getPlural() + ".yaml";
        try (InputStream in = DeviceCrds.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("CRD resource " + file + " missing from the bundle");
            }
            return client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
        } catch (IOException e) {
            throw new IllegalStateException("CRD resource " + file + " unreadable", e);
        }
    }

    /** Creates the missing CRDs (when {@code install}), waits for Established; throws on failure or timeout. */
    static Served ensure(KubernetesClient client, boolean install, long establishedTimeoutSeconds) {
        var crds = client.apiextensions().v1().customResourceDefinitions();
        for (ResourceDefinitionContext kind : KINDS) {
            String name = DeviceKinds.crdName(kind);
            if (crds.withName(name).get() == null && install) {
                try {
                    crds.resource(definition(client, kind)).create();
                    LOG.info("CRD {} created", name);
                } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                    if (e.getCode() != java.net.HttpURLConnection.HTTP_CONFLICT) {
                        throw e;
                    }
                    // another cloud replica created it a moment ago: theirs is the same definition
                    LOG.debug("CRD {} created by another replica meanwhile", name);
                }
            }
        }
        Served served = new Served(false, false);
        for (ResourceDefinitionContext kind : KINDS) {
            String name = DeviceKinds.crdName(kind);
            if (crds.withName(name).get() == null) {
                if (kind == DeviceKinds.STATUS) {
                    LOG.info("CRD {} absent: reported twins go to Device status only (KubeEdge before v1.23)", name);
                    continue;
                }
                throw new IllegalStateException("CRD " + name + " is not installed (installCrds=false?)");
            }
            CustomResourceDefinition crd = crds.withName(name).waitUntilCondition(DeviceCrds::established,
                    establishedTimeoutSeconds, TimeUnit.SECONDS);
            if (kind == DeviceKinds.STATUS) {
                served = new Served(served(crd), served.deviceStatusSubresource());
            } else if (kind == DeviceKinds.DEVICE) {
                served = new Served(served.deviceStatusKind(), statusSubresource(crd));
            }
        }
        LOG.info("device CRDs established (DeviceStatus kind {}, Device status subresource {})",
                served.deviceStatusKind(), served.deviceStatusSubresource());
        return served;
    }

    private static boolean served(CustomResourceDefinition crd) {
        return v1beta1(crd) != null;
    }

    private static boolean statusSubresource(CustomResourceDefinition crd) {
        CustomResourceDefinitionVersion v = v1beta1(crd);
        return v != null && v.getSubresources() != null && v.getSubresources().getStatus() != null;
    }

    private static CustomResourceDefinitionVersion v1beta1(CustomResourceDefinition crd) {
        return crd.getSpec().getVersions().stream()
                .filter(v -> DeviceKinds.VERSION.equals(v.getName()) && Boolean.TRUE.equals(v.getServed()))
                .findFirst().orElse(null);
    }

    static boolean established(CustomResourceDefinition crd) {
        return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
                && crd.getStatus().getConditions().stream()
                        .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
