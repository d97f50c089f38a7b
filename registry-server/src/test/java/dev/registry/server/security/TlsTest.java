package dev.registry.server.security;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.registry.api.client.Registration;
import dev.registry.api.client.RegistryClient;
import dev.registry.api.client.RegistryUnavailableException;
import dev.registry.server.testing.TestRegistry;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --tls-keystore: the API over HTTPS with a self-signed certificate made by keytool. */
class TlsTest {

    private static final String PASSWORD = "changeit";

    @TempDir
    Path tmp;

    @Test
    void servesHttpsWithASelfSignedCertificate() throws Exception {
        Path keystore = tmp.resolve("registry.p12");
        String keytool =
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(List.of(
                        keytool,
                        "-genkeypair",
                        "-alias",
                        "registry",
                        "-keyalg",
                        "RSA",
                        "-keysize",
                        "2048",
                        "-validity",
                        "2",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=ip:127.0.0.1,dns:localhost",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        keystore.toString(),
                        "-storepass",
                        PASSWORD,
                        "-keypass",
                        PASSWORD))
                .redirectErrorStream(true)
                .start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, is(true));

        try (TestRegistry registry = new TestRegistry(
                tmp.resolve("data"), s -> s.withTls(keystore, PASSWORD), java.time.Clock.systemUTC())) {
            int port = registry.server().port();
            RegistryClient trusting = RegistryClient.builder("https://127.0.0.1:" + port)
                    .sslContext(trusting(keystore))
                    .build();
            trusting.register(Registration.running("secure", "127.0.0.1", 1, Map.of()));
            assertThat(trusting.get("secure").isPresent(), is(true));
            assertThat(trusting.stats().totalServices(), is(1));

            RegistryClient untrusting = RegistryClient.create("https://127.0.0.1:" + port);
            assertThrows(RegistryUnavailableException.class, untrusting::list);
            RegistryClient plain = RegistryClient.create("http://127.0.0.1:" + port);
            assertThrows(RegistryUnavailableException.class, plain::list);
        }
    }

    private static SSLContext trusting(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
