package io.tessera.jmh.transport;

import io.tessera.transport.TransportContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * TLS for the transport benchmarks' {@code tls=true} rows: one self-signed EC key pair for 127.0.0.1 made
 * with the JDK's {@code keytool}, used by both JVMs as key store and trust store (mutual TLS). The
 * peer finds the file in {@value #KEY_STORE_ENV}.
 */
final class BenchTls
{
    static final String KEY_STORE_ENV = "TESSERA_BENCH_TLS_KEY_STORE";
    private static final char[] PASSWORD = "tessera-bench".toCharArray();

    private BenchTls()
    {
    }

    /**
     * @return a new PKCS12 file holding the key pair (deleted when this JVM exits).
     */
    static Path createKeyStore() throws IOException, InterruptedException
    {
        final Path dir = Files.createTempDirectory("tessera-bench-tls");
        final Path store = dir.resolve("bench.p12");
        final Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
            "-genkeypair", "-alias", "bench", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=tessera-bench",
            "-ext", "san=ip:127.0.0.1", "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12",
            "-storepass", new String(PASSWORD))).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0)
        {
            throw new IOException("keytool failed: " + out);
        }
        store.toFile().deleteOnExit();
        dir.toFile().deleteOnExit();
        return store;
    }

    /**
     * @param keyStore a file from {@link #createKeyStore()}, or null for plain text.
     * @return {@code ctx}, with mutual TLS when a key store is given.
     */
    static TransportContext apply(final TransportContext ctx, final Path keyStore)
    {
        return keyStore == null ? ctx : ctx.tls(keyStore, PASSWORD, keyStore, PASSWORD);
    }
}
