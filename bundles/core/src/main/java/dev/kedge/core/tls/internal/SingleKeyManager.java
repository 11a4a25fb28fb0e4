package dev.kedge.core.tls.internal;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A key manager holding one key and its chain, choosing them as the JDK's {@code SunX509} manager would: by key type
 * ({@code EC}, or {@code EC_RSA} for "an EC key in a certificate signed with RSA") and, when the peer names the
 * issuers it accepts, by issuer. The JDK's managers only read keys out of a {@code KeyStore}; an in-memory PKCS12
 * store encrypts the key when it is put in and decrypts it when the manager is built, each time with 10,000 rounds
 * of PBKDF2: about 100 ms of CPU at every start of a cold JVM, on the way to the edge's first connection.
 */
public final class SingleKeyManager extends X509ExtendedKeyManager {
    private final String alias;
    private final PrivateKey key;
    private final X509Certificate[] chain;

    public SingleKeyManager(String alias, PrivateKey key, List<X509Certificate> chain) {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a key manager needs the key's certificate");
        }
        this.alias = alias;
        this.key = key;
        this.chain = chain.toArray(X509Certificate[]::new);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return fits(keyType, issuers) ? new String[] {alias} : null;
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return choose(keyTypes, issuers);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return choose(keyTypes, issuers);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return getClientAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return fits(keyType, issuers) ? alias : null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return fits(keyType, issuers) ? alias : null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String name) {
        return alias.equals(name) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String name) {
        return alias.equals(name) ? key : null;
    }

    private String choose(String[] keyTypes, Principal[] issuers) {
        if (keyTypes != null) {
            for (String keyType : keyTypes) {
                if (fits(keyType, issuers)) {
                    return alias;
                }
            }
        }
        return null;
    }

    private boolean fits(String keyType, Principal[] issuers) {
        if (keyType == null) {
            return false;
        }
        int split = keyType.indexOf('_');
        String keyAlgorithm = split < 0 ? keyType : keyType.substring(0, split);
        if (!keyAlgorithm.equals(chain[0].getPublicKey().getAlgorithm())) {
            return false;
        }
        if (split >= 0 && !signedWith(keyType.substring(split + 1))) {
            return false;
        }
        return issuers == null || issuers.length == 0 || issuedByOneOf(issuers);
    }

    /** The certificate's signer's key algorithm: the next certificate's, or else read from the signature's name. */
    private boolean signedWith(String algorithm) {
        if (chain.length > 1) {
            return algorithm.equals(chain[1].getPublicKey().getAlgorithm());
        }
        return chain[0].getSigAlgName().toUpperCase(Locale.ROOT).contains("WITH" + algorithm.toUpperCase(Locale.ROOT));
    }

    private boolean issuedByOneOf(Principal[] issuers) {
        for (X509Certificate c : chain) {
            for (Principal issuer : issuers) {
                if (c.getIssuerX500Principal().equals(issuer)) {
                    return true;
                }
            }
        }
        return false;
    }
}
