package dev.kedge.edge.cri.internal;

import java.lang.annotation.Annotation;

/** CriConfig values for tests (DS builds them from configuration properties at run time). */
final class TestConfigs {

    private TestConfigs() {
    }

    static CriConfig config(String runtime, String image, int pullSeconds, int callSeconds) {
        return new CriConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return CriConfig.class;
            }

            @Override
            public String remoteRuntimeEndpoint() {
                return runtime;
            }

            @Override
            public String remoteImageEndpoint() {
                return image;
            }

            @Override
            public int runtimeRequestTimeout() {
                return pullSeconds;
            }

            @Override
            public int criCallTimeout() {
                return callSeconds;
            }
        };
    }

    static CriConfig config(String endpoint) {
        return config(endpoint, endpoint, 120, 10);
    }
}
