package dev.kedge.itests.load;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.X509ExtendedKeyManager;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;

/**
 * One key manager for thousands of nodes: the SSLEngine being handshaked names the node (engines are bound to a
 * node index when created, unbound when their handshake ends), so one SSLContext serves every simulated node and
 * each still presents its own certificate. The alias is the node index.
 */
final class NodeKeyManager extends X509ExtendedKeyManager {
    private final Credentials.Node[] nodes;
    /** SSLEngine does not override equals/hashCode: identity keys. */
    private final Map<SSLEngine, Integer> engines = new ConcurrentHashMap<>();

    NodeKeyManager(Credentials.Node[] nodes) {
        this.nodes = nodes;
    }

    /**
     * A client TLS handler for {@code channel} presenting node {@code index}'s certificate; the engine's key binding
     * ends with the handshake, or with the channel if the handshake never finishes.
     */
    SslHandler clientTls(SSLContext ssl, SSLParameters params, int index, long handshakeTimeoutMs, Channel channel) {
        SSLEngine engine = ssl.createSSLEngine();
        engine.setUseClientMode(true);
        engine.setSSLParameters(params);
        bind(engine, index);
        SslHandler tls = new SslHandler(engine);
        tls.setHandshakeTimeoutMillis(handshakeTimeoutMs);
        tls.handshakeFuture().addListener(f -> unbind(engine));
        channel.closeFuture().addListener(f -> unbind(engine));
        return tls;
    }

    void bind(SSLEngine engine, int index) {
        engines.put(engine, index);
    }

    void unbind(SSLEngine engine) {
        engines.remove(engine);
    }

    int bound() {
        return engines.size();
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        Integer i = engines.get(engine);
        if (i == null) {
            return null;
        }
        for (String t : keyType) {
            if ("EC".equals(t)) {
                return Integer.toString(i);
            }
        }
        return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return nodes[Integer.parseInt(alias)].chain();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return nodes[Integer.parseInt(alias)].key();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null; // engines only
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
