package io.tessera.internal.cluster;

import io.tessera.TesseraException;
import io.tessera.transport.TransportContext;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The TLS settings of this process's cluster connections (node, driver, status client): each from its
 * system property, else its environment variable. Off unless a key store is named; then mutual TLS,
 * which needs a trust store too.
 * <pre>
 * tessera.tls.keyStore           TESSERA_TLS_KEY_STORE           PKCS12: this node's certificate chain and key
 * tessera.tls.keyStorePassword   TESSERA_TLS_KEY_STORE_PASSWORD
 * tessera.tls.trustStore         TESSERA_TLS_TRUST_STORE         PKCS12: the CA / peer certificates to trust
 * tessera.tls.trustStorePassword TESSERA_TLS_TRUST_STORE_PASSWORD (default: the key store's password)
 * tessera.tls.verifyHostname     TESSERA_TLS_VERIFY_HOSTNAME     true: a peer's certificate must name the
 *                                                                address dialled (default false: nodes are
 *                                                                dialled by IP, trusted by their chain)
 * </pre>
 */
public final class ClusterTls
{
    public static final String KEY_STORE = "tessera.tls.keyStore";
    public static final String KEY_STORE_PASSWORD = "tessera.tls.keyStorePassword";
    public static final String TRUST_STORE = "tessera.tls.trustStore";
    public static final String TRUST_STORE_PASSWORD = "tessera.tls.trustStorePassword";
    public static final String VERIFY_HOSTNAME = "tessera.tls.verifyHostname";

    private ClusterTls()
    {
    }

    /** True when a key store is configured. */
    public static boolean enabled()
    {
        return setting(KEY_STORE, "TESSERA_TLS_KEY_STORE") != null;
    }

    /**
     * Sets TLS on {@code ctx} when configured.
     *
     * @return {@code ctx}
     * @throws TesseraException naming the setting that is missing or the file that does not exist
     */
    public static TransportContext apply(TransportContext ctx)
    {
        final String keyStore = setting(KEY_STORE, "TESSERA_TLS_KEY_STORE");
        final String trustStore = setting(TRUST_STORE, "TESSERA_TLS_TRUST_STORE");
        if (keyStore == null)
        {
            if (trustStore != null)
            {
                throw new TesseraException("TLS trust store " + trustStore + " is set but no key store: set " + KEY_STORE
                    + " (or TESSERA_TLS_KEY_STORE) too; TLS here is mutual, every node and driver presents a certificate");
            }
            return ctx;
        }
        if (trustStore == null)
        {
            throw new TesseraException("TLS key store " + keyStore + " is set but no trust store: set " + TRUST_STORE
                + " (or TESSERA_TLS_TRUST_STORE) to a PKCS12 file holding the CA certificates to trust");
        }
        final String keyPassword = setting(KEY_STORE_PASSWORD, "TESSERA_TLS_KEY_STORE_PASSWORD");
        if (keyPassword == null)
        {
            throw new TesseraException("TLS key store " + keyStore + " has no password set: set TESSERA_TLS_KEY_STORE_PASSWORD"
                + " (or " + KEY_STORE_PASSWORD + ")");
        }
        final String trustPassword = setting(TRUST_STORE_PASSWORD, "TESSERA_TLS_TRUST_STORE_PASSWORD");
        final Path keys = existing(keyStore, "key store");
        final Path trusted = existing(trustStore, "trust store");
        return ctx.tls(keys, keyPassword.toCharArray(), trusted,
                (trustPassword != null ? trustPassword : keyPassword).toCharArray())
            .tlsHostnameVerification(Boolean.parseBoolean(setting(VERIFY_HOSTNAME, "TESSERA_TLS_VERIFY_HOSTNAME")));
    }

    private static Path existing(String file, String what)
    {
        final Path p = Path.of(file).toAbsolutePath();
        if (!Files.isReadable(p))
        {
            throw new TesseraException("TLS " + what + " " + p + " does not exist or cannot be read");
        }
        return p;
    }

    private static String setting(String property, String env)
    {
        final String p = System.getProperty(property);
        if (p != null && !p.isBlank())
        {
            return p.trim();
        }
        final String e = System.getenv(env);
        return e != null && !e.isBlank() ? e.trim() : null;
    }
}
