package dev.kedge.cloud.hub.internal;

import java.time.Duration;
import java.util.function.Function;

import javax.net.ssl.SSLContext;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import dev.kedge.core.tls.TlsContexts;

/** Jetty servers with our TLS settings: TLS 1.2/1.3, ECDHE-ECDSA suites, client certificates needed or wanted. */
final class JettyServers {
    private JettyServers() {
    }

    /** Threads idle this long end, all of them in one period: a burst leaves no crowd of idle threads behind. */
    static final Duration THREAD_IDLE = Duration.ofSeconds(10);

    /**
     * A TLS server whose connector asks {@code guard} about every accepted connection; the guard is built from the
     * server (its deadlines run on the server's scheduler).
     */
    static Server tls(String name, String host, int port, SSLContext context, boolean needClientAuth,
            Duration idleTimeout, int maxThreads, Function<Server, ConnectionGuard> guard) {
        QueuedThreadPool pool = new QueuedThreadPool(maxThreads, Math.min(8, maxThreads),
                (int) THREAD_IDLE.toMillis());
        pool.setName("kedge-" + name);
        pool.setMaxEvictCount(maxThreads); // Jetty's default ends one idle thread per idle period

        Server server = new Server(pool);
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setSslContext(context);
        ssl.setIncludeProtocols(TlsContexts.PROTOCOLS.toArray(String[]::new));
        ssl.setIncludeCipherSuites(TlsContexts.CIPHER_SUITES.toArray(String[]::new));
        if (needClientAuth) {
            ssl.setNeedClientAuth(true);
        } else {
            ssl.setWantClientAuth(true);
        }
        HttpConfiguration http = new HttpConfiguration();
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false); // edges dial addresses, not names
        http.addCustomizer(secure);
        http.setSendServerVersion(false);
        ServerConnector connector = new GuardedConnector(server, guard.apply(server),
                new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(idleTimeout.toMillis());
        connector.setAcceptQueueSize(1024); // the JDK default of 50 overflowed thousands of times in a connect storm
        server.addConnector(connector);
        return server;
    }

    static void start(Server server, Handler handler) throws Exception {
        server.setHandler(handler);
        server.start();
    }

    static void stop(Server server) {
        if (server != null) {
            try {
                server.stop();
            } catch (Exception e) {
                // stopping anyway
            }
        }
    }

    static int port(Server server) {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }
}
