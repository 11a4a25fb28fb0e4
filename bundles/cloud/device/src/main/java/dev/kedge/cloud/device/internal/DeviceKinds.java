package dev.kedge.cloud.device.internal;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/** The devices.kubeedge.io/v1beta1 kinds, with their plurals (no discovery round trip). */
final class DeviceKinds {
    static final String GROUP = "devices.kubeedge.io";
    static final String VERSION = "v1beta1";
    static final String API_VERSION = GROUP + "/" + VERSION;
    static final ResourceDefinitionContext DEVICE = context("Device", "devices");
    static final ResourceDefinitionContext MODEL = context("DeviceModel", "devicemodels");
    static final ResourceDefinitionContext STATUS = context("DeviceStatus", "devicestatuses");

    private DeviceKinds() {
    }

    static String crdName(ResourceDefinitionContext kind) {
        return kind.getPlural() + "." + GROUP;
    }

    private static ResourceDefinitionContext context(String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup(GROUP).withVersion(VERSION).withKind(kind)
                .withPlural(plural).withNamespaced(true).build();
    }
}
