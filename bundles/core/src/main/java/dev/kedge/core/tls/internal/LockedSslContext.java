package dev.kedge.core.tls.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.function.Supplier;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An initialised {@link SSLContext} whose every engine, socket and server socket starts with fixed
 * {@link SSLParameters} (protocols, suites, client-auth policy, endpoint identification). A plain SSLContext cannot
 * carry those, and a caller that forgets {@code setNeedClientAuth(true)} would silently accept anonymous peers.
 * Callers can still tighten or loosen a socket afterwards; they just start from the safe setting.
 */
public final class LockedSslContext extends SSLContext {

    public LockedSslContext(SSLContext delegate, Supplier<SSLParameters> params) {
        super(new Spi(delegate, params), delegate.getProvider(), delegate.getProtocol());
    }

    private static final class Spi extends SSLContextSpi {
        private final SSLContext d;
        private final Supplier<SSLParameters> params;

        Spi(SSLContext delegate, Supplier<SSLParameters> params) {
            this.d = delegate;
            this.params = params;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
            throw new KeyManagementException("this SSLContext is already initialised with Kedge's keys and trust");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return new Sockets(d.getSocketFactory(), params);
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return new ServerSockets(d.getServerSocketFactory(), params);
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            SSLEngine e = d.createSSLEngine();
            e.setSSLParameters(params.get());
            return e;
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            SSLEngine e = d.createSSLEngine(host, port);
            e.setSSLParameters(params.get());
            return e;
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return d.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return d.getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return params.get();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return d.getSupportedSSLParameters();
        }
    }

    private static final class Sockets extends SSLSocketFactory {
        private final SSLSocketFactory d;
        private final Supplier<SSLParameters> params;

        Sockets(SSLSocketFactory d, Supplier<SSLParameters> params) {
            this.d = d;
            this.params = params;
        }

        private Socket lock(Socket s) {
            ((SSLSocket) s).setSSLParameters(params.get());
            return s;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return params.get().getCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return d.getSupportedCipherSuites();
        }

        @Override
        public Socket createSocket() throws IOException {
            return lock(d.createSocket());
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return lock(d.createSocket(s, host, port, autoClose));
        }

        @Override
        public Socket createSocket(Socket s, InputStream consumed, boolean autoClose) throws IOException {
            return lock(d.createSocket(s, consumed, autoClose));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return lock(d.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return lock(d.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return lock(d.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return lock(d.createSocket(address, port, localAddress, localPort));
        }
    }

    private static final class ServerSockets extends SSLServerSocketFactory {
        private final SSLServerSocketFactory d;
        private final Supplier<SSLParameters> params;

        ServerSockets(SSLServerSocketFactory d, Supplier<SSLParameters> params) {
            this.d = d;
            this.params = params;
        }

        private ServerSocket lock(ServerSocket s) {
            ((SSLServerSocket) s).setSSLParameters(params.get());
            return s;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return params.get().getCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return d.getSupportedCipherSuites();
        }

        @Override
        public ServerSocket createServerSocket() throws IOException {
            return lock(d.createServerSocket());
        }

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return lock(d.createServerSocket(port));
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog) throws IOException {
            return lock(d.createServerSocket(port, backlog));
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog, InetAddress ifAddress) throws IOException {
            return lock(d.createServerSocket(port, backlog, ifAddress));
        }
    }
}
