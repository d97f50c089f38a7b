package dev.registry.server.config;

import io.helidon.common.tls.Tls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * TLS for the HTTP API from a PKCS#12 keystore holding one private key and its certificate chain
 * (what {@code keytool -genkeypair} or {@code openssl pkcs12 -export} make).
 */
public final class TlsKeystore {

    private TlsKeystore() {}

    /** Helidon's TLS settings from the keystore's first private key entry. */
    public static Tls load(Path keystore, char[] password) {
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    PrivateKey key = (PrivateKey) store.getKey(alias, password);
                    List<X509Certificate> chain = new ArrayList<>();
                    for (Certificate c : store.getCertificateChain(alias)) {
                        chain.add((X509Certificate) c);
                    }
                    return Tls.builder()
                            .privateKey(key)
                            .privateKeyCertChain(chain)
                            .build();
                }
            }
            throw new IllegalArgumentException("keystore " + keystore + " holds no private key");
        } catch (IOException | GeneralSecurityException ex) {
            throw new IllegalArgumentException("cannot read TLS keystore " + keystore + ": " + ex.getMessage(), ex);
        }
    }
}
