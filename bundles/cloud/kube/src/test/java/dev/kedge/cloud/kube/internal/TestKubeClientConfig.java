package dev.kedge.cloud.kube.internal;

import java.lang.annotation.Annotation;

/** {@link KubeClientConfig} is an annotation type (DS component property type); outside OSGi we implement it by hand. */
record TestKubeClientConfig(String kubeconfig, String context) implements KubeClientConfig {

    @Override
    public Class<? extends Annotation> annotationType() {
        return KubeClientConfig.class;
    }

    @Override
    public int connectTimeoutMs() {
        return 1_234;
    }

    @Override
    public int requestTimeoutMs() {
        return 5_678;
    }

    @Override
    public int requestRetryBackoffLimit() {
        return 3;
    }

    @Override
    public int requestRetryBackoffIntervalMs() {
        return 50;
    }
}
