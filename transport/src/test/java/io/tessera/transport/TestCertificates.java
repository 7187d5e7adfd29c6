package io.tessera.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test certificates made with the JDK's {@code keytool} (run as a process): a CA, a node key store whose
 * EC certificate the CA signed for {@code ip:127.0.0.1}, a trust store holding the CA, and a self-signed
 * "rogue" key store the CA never signed. All PKCS12, one password. Public so that other modules' tests
 * (native-tests) can use it from this module's test jar.
 */
public record TestCertificates(Path dir, Path keyStore, Path trustStore, Path rogueKeyStore, char[] password)
{
    public static final String PASSWORD = "tessera-test-pass";

    /**
     * Creates the files under {@code dir} (a few seconds: eight keytool runs).
     */
    public static TestCertificates create(final Path dir)
    {
        final Path ca = dir.resolve("ca.p12");
        final Path caPem = dir.resolve("ca.pem");
        final Path node = dir.resolve("node.p12");
        final Path trust = dir.resolve("trust.p12");
        final Path rogue = dir.resolve("rogue.p12");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=Tessera Test CA",
            "-ext", "bc:c", "-validity", "2", "-keystore", ca.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-storepass", PASSWORD,
            "-file", caPem.toString());
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caPem.toString(), "-keystore", trust.toString(),
            "-storetype", "PKCS12", "-storepass", PASSWORD);

        keytool("-genkeypair", "-alias", "node", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=tessera-node",
            "-validity", "2", "-keystore", node.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        final Path csr = dir.resolve("node.csr");
        final Path signed = dir.resolve("node.pem");
        keytool("-certreq", "-alias", "node", "-keystore", node.toString(), "-storepass", PASSWORD, "-file", csr.toString());
        keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-storepass", PASSWORD,
            "-infile", csr.toString(), "-outfile", signed.toString(), "-validity", "2",
            "-ext", "san=ip:127.0.0.1", "-ext", "eku=serverAuth,clientAuth");
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caPem.toString(), "-keystore", node.toString(),
            "-storepass", PASSWORD);
        keytool("-importcert", "-noprompt", "-alias", "node", "-file", signed.toString(), "-keystore", node.toString(),
            "-storepass", PASSWORD);

        keytool("-genkeypair", "-alias", "rogue", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=rogue",
            "-ext", "san=ip:127.0.0.1", "-validity", "2", "-keystore", rogue.toString(), "-storetype", "PKCS12",
            "-storepass", PASSWORD);
        return new TestCertificates(dir, node, trust, rogue, PASSWORD.toCharArray());
    }

    /**
     * @return {@code ctx} with mutual TLS from the node key store and the CA trust store.
     */
    public TransportContext apply(final TransportContext ctx)
    {
        return ctx.tls(keyStore, password, trustStore, password);
    }

    /**
     * @return {@code ctx} with TLS from the rogue (self-signed, untrusted) key store.
     */
    public TransportContext applyRogue(final TransportContext ctx)
    {
        return ctx.tls(rogueKeyStore, password, trustStore, password);
    }

    private static void keytool(final String... args)
    {
        final List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        try
        {
            final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0)
            {
                p.destroyForcibly();
                throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + out);
            }
        }
        catch (final IOException e)
        {
            throw new IllegalStateException("cannot run keytool: " + e, e);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running keytool", e);
        }
    }
}
