package io.tessera.transport;

import io.netty.channel.Channel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;

/**
 * The TLS side of one {@link Endpoint}: the server and client {@link SslContext}s built once from the
 * context's PKCS12 key store (this node's certificate chain and private key) and trust store (the CA or
 * peer certificates it accepts). Mutual TLS: each side presents its certificate and verifies the other's.
 * JDK provider only (no tcnative, no BouncyCastle); TLS 1.3 and 1.2.
 */
final class TlsContexts
{
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SslContext server;
    private final SslContext client;
    private final long handshakeTimeoutMs;

    private TlsContexts(final SslContext server, final SslContext client, final long handshakeTimeoutMs)
    {
        this.server = server;
        this.client = client;
        this.handshakeTimeoutMs = handshakeTimeoutMs;
    }

    /**
     * @return the contexts for {@code ctx}, or null when TLS is off.
     * @throws TransportException naming the file when a store cannot be read or holds no usable entry.
     */
    static TlsContexts of(final TransportContext ctx)
    {
        if (!ctx.tlsEnabled())
        {
            return null;
        }
        final KeyStore keys = load("key store", ctx.tlsKeyStore(), ctx.tlsKeyStorePassword());
        final KeyStore trusted = load("trust store", ctx.tlsTrustStore(), ctx.tlsTrustStorePassword());
        try
        {
            if (Collections.list(keys.aliases()).stream().noneMatch(a -> isKeyEntry(keys, a)))
            {
                throw new TransportException("TLS key store " + ctx.tlsKeyStore() + " holds no private key entry: " +
                    "it must hold this node's certificate chain and private key (keytool -genkeypair / -importkeystore)");
            }
            if (trusted.size() == 0)
            {
                throw new TransportException("TLS trust store " + ctx.tlsTrustStore() + " is empty: it must hold the " +
                    "CA (or peer) certificates this node trusts (keytool -importcert)");
            }
            final KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, ctx.tlsKeyStorePassword());
            final TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
            final SslContext server = SslContextBuilder.forServer(kmf)
                .sslProvider(SslProvider.JDK)
                .trustManager(tmf)
                .clientAuth(ClientAuth.REQUIRE)
                .protocols(PROTOCOLS)
                .build();
            final SslContext client = SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .keyManager(kmf)
                .trustManager(tmf)
                .protocols(PROTOCOLS)
                // Netty 4.2 verifies host names by default; nodes are addressed by IP, so it is opt-in here
                .endpointIdentificationAlgorithm(ctx.tlsHostnameVerification() ? "HTTPS" : null)
                .build();
            return new TlsContexts(server, client, ctx.handshakeTimeoutMs());
        }
        catch (final GeneralSecurityException | SSLException e)
        {
            throw new TransportException("cannot set up TLS from key store " + ctx.tlsKeyStore() + " and trust store " +
                ctx.tlsTrustStore() + ": " + e, e);
        }
    }

    private static boolean isKeyEntry(final KeyStore store, final String alias)
    {
        try
        {
            return store.isKeyEntry(alias);
        }
        catch (final GeneralSecurityException e)
        {
            return false;
        }
    }

    private static KeyStore load(final String what, final Path path, final char[] password)
    {
        try (InputStream in = Files.newInputStream(path))
        {
            final KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            return store;
        }
        catch (final IOException | GeneralSecurityException e)
        {
            throw new TransportException("cannot read the TLS " + what + " " + path + " (a PKCS12 file; check the path " +
                "and its password): " + e, e);
        }
    }

    /**
     * @param serverSide true for an accepted channel.
     * @param peerHost   the host an outbound channel connects to (for host name verification), else null.
     * @return a new handler for the channel, to go first in its pipeline.
     */
    SslHandler newHandler(final Channel ch, final boolean serverSide, final String peerHost, final int peerPort)
    {
        final SslHandler handler = serverSide ? server.newHandler(ch.alloc()) :
            client.newHandler(ch.alloc(), peerHost, peerPort);
        handler.setHandshakeTimeoutMillis(handshakeTimeoutMs);
        return handler;
    }
}
