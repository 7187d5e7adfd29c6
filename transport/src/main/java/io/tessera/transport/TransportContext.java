package io.tessera.transport;

import io.tessera.memory.ObjectStore;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Configuration of a {@link TransportServer} or {@link TransportClient}. Fluent setters and
 * same-named getters, Aeron style. Only {@link #token(byte[])} is required.
 * <p>
 * TLS is off by default. {@link #tls(Path, char[], Path, char[])} turns on mutual TLS for every
 * connection this endpoint accepts or opens:
 * <pre>{@code
 * ctx.tls(Path.of("node.p12"), keyPass, Path.of("trust.p12"), trustPass);
 * }</pre>
 */
public final class TransportContext
{
    /** Shortest cluster token accepted, in bytes. */
    public static final int MIN_TOKEN_LENGTH = 16;
    /** Smallest frame limit accepted: room for a 4 KiB chunk. */
    public static final int MIN_MAX_FRAME_BYTES = 4096 + 64;

    private TransportKind kind;
    private String host = "127.0.0.1";
    private int port;
    private String nodeId;
    private byte[] token;
    private int ioThreads = Math.min(2, Runtime.getRuntime().availableProcessors());
    private int maxFrameBytes = (1 << 20) + 64;
    private int chunkBytes = 1 << 20;
    private long windowBytes = 4L << 20;
    private long splitMinBytes = 8L << 20;
    private long handshakeTimeoutMs = 5_000;
    private int maxPendingHandshakes = Integer.getInteger("tessera.transport.maxPendingHandshakes", 64);
    private long connectTimeoutMs = 5_000;
    private long requestTimeoutMs = 30_000;
    private ObjectStore store;
    private boolean directReads = !"false".equals(System.getProperty("tessera.transport.directReads"));
    private Path tlsKeyStore;
    private char[] tlsKeyStorePassword;
    private Path tlsTrustStore;
    private char[] tlsTrustStorePassword;
    private boolean tlsHostnameVerification;

    /**
     * Creates a context with the defaults each setter names; servers and clients need at least a
     * {@link #token(String) token}.
     */
    public TransportContext()
    {
    }

    /**
     * Returns 32 random bytes from a {@link SecureRandom}, fit for {@link #token(byte[])}.
     *
     * @return 32 random bytes from a {@link SecureRandom}, fit for {@link #token(byte[])}.
     */
    public static byte[] randomToken()
    {
        final byte[] token = new byte[32];
        new SecureRandom().nextBytes(token);
        return token;
    }

    /**
     * Sets {@code kind}: transport to run; {@link TransportKind#AUTO} picks the best available.
     *
     * @param kind transport to run; {@link TransportKind#AUTO} picks the best available.
     * @return this.
     */
    public TransportContext kind(final TransportKind kind)
    {
        this.kind = kind;
        return this;
    }

    /**
     * Returns the kind set, else the one the {@value TransportKind#PROPERTY} system property names, else
     * {@link TransportKind#AUTO}.
     *
     * @return the kind set, else the one the {@value TransportKind#PROPERTY} system property names,
     * else {@link TransportKind#AUTO}.
     */
    public TransportKind kind()
    {
        return kind != null ? kind : TransportKind.parse(System.getProperty(TransportKind.PROPERTY, "auto"));
    }

    /**
     * Sets {@code host}: address a server binds; default 127.0.0.1 (loopback only).
     *
     * @param host address a server binds; default 127.0.0.1 (loopback only).
     * @return this.
     */
    public TransportContext host(final String host)
    {
        this.host = host;
        return this;
    }

    /**
     * The address a server binds.
     *
     * @return the host; default 127.0.0.1.
     */
    public String host()
    {
        return host;
    }

    /**
     * Sets {@code port}: port a server binds, 0 .. 65535; 0 (default) = ephemeral.
     *
     * @param port port a server binds, 0 .. 65535; 0 (default) = ephemeral.
     * @return this.
     */
    public TransportContext port(final int port)
    {
        if (port < 0 || port > 0xFFFF)
        {
            throw new TransportException("port must be in [0, 65535], got " + port);
        }
        this.port = port;
        return this;
    }

    /**
     * The port a server binds.
     *
     * @return the port; 0 for an ephemeral one.
     */
    public int port()
    {
        return port;
    }

    /**
     * Sets {@code nodeId}: this node's identity, sent to peers in the handshake; at most 256 UTF-8 bytes.
     *
     * @param nodeId this node's identity, sent to peers in the handshake; at most 256 UTF-8 bytes.
     * @return this.
     */
    public TransportContext nodeId(final String nodeId)
    {
        if (nodeId == null || nodeId.isEmpty() || nodeId.getBytes(StandardCharsets.UTF_8).length > 256)
        {
            throw new TransportException("nodeId must be 1..256 UTF-8 bytes, got '" + nodeId + "'");
        }
        this.nodeId = nodeId;
        return this;
    }

    /**
     * Returns the node id; default {@code node-<pid>-<random hex>}.
     *
     * @return the node id; default {@code node-<pid>-<random hex>}.
     */
    public String nodeId()
    {
        if (nodeId == null)
        {
            nodeId = "node-" + ProcessHandle.current().pid() + "-" +
                Integer.toHexString(ThreadLocalRandom.current().nextInt() >>> 8);
        }
        return nodeId;
    }

    /**
     * Sets {@code token}: the cluster's shared secret, at least {@value #MIN_TOKEN_LENGTH} bytes.
     *
     * @param token the cluster's shared secret, at least {@value #MIN_TOKEN_LENGTH} bytes. It never
     * crosses the wire: the handshake proves knowledge of it with HMAC-SHA256 over nonces.
     * @return this.
     */
    public TransportContext token(final byte[] token)
    {
        if (token == null || token.length < MIN_TOKEN_LENGTH)
        {
            throw new TransportException("cluster token must be at least " + MIN_TOKEN_LENGTH + " bytes, got " +
                (token == null ? "null" : token.length + " bytes"));
        }
        this.token = token.clone();
        return this;
    }

    /**
     * Sets {@code token}: the cluster's shared secret as text (UTF-8), at least {@value #MIN_TOKEN_LENGTH}
     * bytes.
     *
     * @param token the cluster's shared secret as text (UTF-8), at least {@value #MIN_TOKEN_LENGTH} bytes.
     * @return this.
     */
    public TransportContext token(final String token)
    {
        return token(token == null ? null : token.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Returns a copy of the token.
     *
     * @return a copy of the token.
     * @throws TransportException when none was set.
     */
    public byte[] token()
    {
        if (token == null)
        {
            throw new TransportException("no cluster token set: call TransportContext.token(...)");
        }
        return token.clone();
    }

    /**
     * Sets {@code ioThreads}: event loop threads, 1 .. 64; default min(2, cores).
     *
     * @param ioThreads event loop threads, 1 .. 64; default min(2, cores).
     * @return this.
     */
    public TransportContext ioThreads(final int ioThreads)
    {
        if (ioThreads < 1 || ioThreads > 64)
        {
            throw new TransportException("ioThreads must be in [1, 64], got " + ioThreads);
        }
        this.ioThreads = ioThreads;
        return this;
    }

    /**
     * Event loop threads of the endpoint.
     *
     * @return the count, 1 .. 64.
     */
    public int ioThreads()
    {
        return ioThreads;
    }

    /**
     * Sets {@code maxFrameBytes}: largest frame (header + payload) this endpoint accepts once the peer is
     * authenticated; a larger one closes the connection.
     *
     * @param maxFrameBytes largest frame (header + payload) this endpoint accepts once the peer is
     * authenticated; a larger one closes the connection. Default 1 MiB + 64.
     * @return this.
     */
    public TransportContext maxFrameBytes(final int maxFrameBytes)
    {
        if (maxFrameBytes < MIN_MAX_FRAME_BYTES)
        {
            throw new TransportException("maxFrameBytes must be >= " + MIN_MAX_FRAME_BYTES + ", got " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
        return this;
    }

    /**
     * The largest frame this endpoint accepts once the peer is authenticated.
     *
     * @return the limit in bytes, header included.
     */
    public int maxFrameBytes()
    {
        return maxFrameBytes;
    }

    /**
     * Sets {@code chunkBytes}: object bytes per CHUNK frame this endpoint sends, 4 KiB .. maxFrameBytes -
     * 64; default 1 MiB (fewer frames, and more bytes read straight into the store).
     *
     * @param chunkBytes object bytes per CHUNK frame this endpoint sends, 4 KiB .. maxFrameBytes - 64;
     * default 1 MiB (fewer frames, and more bytes read straight into the store).
     * @return this.
     */
    public TransportContext chunkBytes(final int chunkBytes)
    {
        if (chunkBytes < 4096)
        {
            throw new TransportException("chunkBytes must be >= 4096, got " + chunkBytes);
        }
        this.chunkBytes = chunkBytes;
        return this;
    }

    /**
     * Returns the chunk size, clamped to fit the frame limit.
     *
     * @return the chunk size, clamped to fit the frame limit.
     */
    public int chunkBytes()
    {
        return Math.min(chunkBytes, maxFrameBytes - 64);
    }

    /**
     * Sets {@code windowBytes}: bytes of one object stream in flight (sent, not yet copied into the store)
     * at most; this endpoint grants it when pulling.
     *
     * @param windowBytes bytes of one object stream in flight (sent, not yet copied into the store) at
     * most; this endpoint grants it when pulling. Default 4 MiB.
     * @return this.
     */
    public TransportContext windowBytes(final long windowBytes)
    {
        if (windowBytes < 4096)
        {
            throw new TransportException("windowBytes must be >= 4096, got " + windowBytes);
        }
        this.windowBytes = windowBytes;
        return this;
    }

    /**
     * Bytes of one object stream in flight before the sender waits for credit.
     *
     * @return the window in bytes.
     */
    public long windowBytes()
    {
        return windowBytes;
    }

    /**
     * Sets {@code splitMinBytes}: smallest byte range a multi-holder pull gives one holder: an object is
     * split across at most size / splitMinBytes holders.
     *
     * @param splitMinBytes smallest byte range a multi-holder pull gives one holder: an object is split
     * across at most size / splitMinBytes holders. Default 8 MiB.
     * @return this.
     */
    public TransportContext splitMinBytes(final long splitMinBytes)
    {
        if (splitMinBytes < 4096)
        {
            throw new TransportException("splitMinBytes must be >= 4096, got " + splitMinBytes);
        }
        this.splitMinBytes = splitMinBytes;
        return this;
    }

    /**
     * The smallest byte range a multi-holder pull gives one holder.
     *
     * @return the size in bytes.
     */
    public long splitMinBytes()
    {
        return splitMinBytes;
    }

    /**
     * Sets {@code handshakeTimeoutMs}: time a peer has to complete the handshake before it is refused;
     * default 5 s.
     *
     * @param handshakeTimeoutMs time a peer has to complete the handshake before it is refused; default 5 s.
     * @return this.
     */
    public TransportContext handshakeTimeoutMs(final long handshakeTimeoutMs)
    {
        this.handshakeTimeoutMs = positive("handshakeTimeoutMs", handshakeTimeoutMs);
        return this;
    }

    /**
     * Time a peer has to complete the handshake before it is refused.
     *
     * @return milliseconds.
     */
    public long handshakeTimeoutMs()
    {
        return handshakeTimeoutMs;
    }

    /**
     * Sets {@code maxPendingHandshakes}: accepted connections that may be in the handshake at once (peers
     * not authenticated yet); one more is closed at once, unanswered.
     *
     * @param maxPendingHandshakes accepted connections that may be in the handshake at once (peers not
     * authenticated yet); one more is closed at once, unanswered. Default 64
     * ({@code tessera.transport.maxPendingHandshakes}).
     * @return this.
     */
    public TransportContext maxPendingHandshakes(final int maxPendingHandshakes)
    {
        this.maxPendingHandshakes = (int)positive("maxPendingHandshakes", maxPendingHandshakes);
        return this;
    }

    /**
     * Accepted connections that may be in the handshake at once; more are refused.
     *
     * @return the limit.
     */
    public int maxPendingHandshakes()
    {
        return maxPendingHandshakes;
    }

    /**
     * Sets {@code connectTimeoutMs}: TCP connect timeout of outbound connections; default 5 s.
     *
     * @param connectTimeoutMs TCP connect timeout of outbound connections; default 5 s.
     * @return this.
     */
    public TransportContext connectTimeoutMs(final long connectTimeoutMs)
    {
        this.connectTimeoutMs = positive("connectTimeoutMs", connectTimeoutMs);
        return this;
    }

    /**
     * TCP connect timeout of outbound connections.
     *
     * @return milliseconds.
     */
    public long connectTimeoutMs()
    {
        return connectTimeoutMs;
    }

    /**
     * Sets {@code requestTimeoutMs}: time after which a request's future fails with a timeout; default 30
     * s.
     *
     * @param requestTimeoutMs time after which a request's future fails with a timeout; default 30 s.
     * @return this.
     */
    public TransportContext requestTimeoutMs(final long requestTimeoutMs)
    {
        this.requestTimeoutMs = positive("requestTimeoutMs", requestTimeoutMs);
        return this;
    }

    /**
     * Time after which a request's future fails with a timeout.
     *
     * @return milliseconds.
     */
    public long requestTimeoutMs()
    {
        return requestTimeoutMs;
    }

    /**
     * Sets {@code directReads}: on epoll and NIO, let socket reads of object chunks land straight in the
     * receiving store segment (no copy from a socket buffer); default true, or the {@code
     * tessera.transport.directReads} system property.
     *
     * @param directReads on epoll and NIO, let socket reads of object chunks land straight in the
     * receiving store segment (no copy from a socket buffer); default true, or the
     * {@code tessera.transport.directReads} system property.
     * @return this.
     */
    public TransportContext directReads(final boolean directReads)
    {
        this.directReads = directReads;
        return this;
    }

    /**
     * Whether object chunks may be read from the socket straight into the store (epoll and NIO, not TLS).
     *
     * @return true when allowed.
     */
    public boolean directReads()
    {
        return directReads;
    }

    /**
     * Sets {@code store}: the node's object store, served to pullers; null (default) serves no objects.
     *
     * @param store the node's object store, served to pullers; null (default) serves no objects.
     * @return this.
     */
    public TransportContext store(final ObjectStore store)
    {
        this.store = store;
        return this;
    }

    /**
     * The node's object store, served to pullers.
     *
     * @return the store, or null when this endpoint serves no objects.
     */
    public ObjectStore store()
    {
        return store;
    }

    /**
     * Turns on mutual TLS: every connection, accepted or opened, starts with a TLS handshake in which both
     * sides present a certificate from their key store and verify the other's against their trust store;
     * the token handshake then runs inside TLS. Under TLS, object chunks are copied from decrypted buffers
     * into the store (no {@link #directReads(boolean) direct reads}).
     *
     * @param keyStore           PKCS12 file with this node's certificate chain and private key.
     * @param keyStorePassword   its password (also the key's password).
     * @param trustStore         PKCS12 file with the CA (or peer) certificates to trust.
     * @param trustStorePassword its password.
     * @return this.
     */
    public TransportContext tls(final Path keyStore, final char[] keyStorePassword, final Path trustStore,
        final char[] trustStorePassword)
    {
        if (keyStore == null || trustStore == null)
        {
            throw new TransportException("TLS needs both a key store and a trust store, got key store " + keyStore +
                ", trust store " + trustStore);
        }
        this.tlsKeyStore = keyStore;
        this.tlsKeyStorePassword = keyStorePassword == null ? new char[0] : keyStorePassword.clone();
        this.tlsTrustStore = trustStore;
        this.tlsTrustStorePassword = trustStorePassword == null ? new char[0] : trustStorePassword.clone();
        return this;
    }

    /**
     * Returns true when {@link #tls(Path, char[], Path, char[])} was set.
     *
     * @return true when {@link #tls(Path, char[], Path, char[])} was set.
     */
    public boolean tlsEnabled()
    {
        return tlsKeyStore != null;
    }

    /**
     * The PKCS12 key store given to {@link #tls(Path, char[], Path, char[])}.
     *
     * @return the file, or null without TLS.
     */
    public Path tlsKeyStore()
    {
        return tlsKeyStore;
    }

    /**
     * The PKCS12 trust store given to {@link #tls(Path, char[], Path, char[])}.
     *
     * @return the file, or null without TLS.
     */
    public Path tlsTrustStore()
    {
        return tlsTrustStore;
    }

    char[] tlsKeyStorePassword()
    {
        return tlsKeyStorePassword;
    }

    char[] tlsTrustStorePassword()
    {
        return tlsTrustStorePassword;
    }

    /**
     * Sets {@code tlsHostnameVerification}: check that a peer's certificate names the host this endpoint
     * connected to (its IP, or DNS name, in the subject alternative names).
     *
     * @param tlsHostnameVerification check that a peer's certificate names the host this endpoint connected
     * to (its IP, or DNS name, in the subject alternative names). Off by
     * default: nodes are addressed by IP and trusted by the certificate chain.
     * @return this.
     */
    public TransportContext tlsHostnameVerification(final boolean tlsHostnameVerification)
    {
        this.tlsHostnameVerification = tlsHostnameVerification;
        return this;
    }

    /**
     * Whether a peer's certificate must name the host this endpoint connected to.
     *
     * @return true when checked.
     */
    public boolean tlsHostnameVerification()
    {
        return tlsHostnameVerification;
    }

    /**
     * Returns a copy of this context.
     *
     * @return a copy of this context.
     */
    public TransportContext copy()
    {
        final TransportContext c = new TransportContext();
        c.kind = kind;
        c.host = host;
        c.port = port;
        c.nodeId = nodeId;
        c.token = token == null ? null : token.clone();
        c.ioThreads = ioThreads;
        c.maxFrameBytes = maxFrameBytes;
        c.chunkBytes = chunkBytes;
        c.windowBytes = windowBytes;
        c.splitMinBytes = splitMinBytes;
        c.handshakeTimeoutMs = handshakeTimeoutMs;
        c.maxPendingHandshakes = maxPendingHandshakes;
        c.connectTimeoutMs = connectTimeoutMs;
        c.requestTimeoutMs = requestTimeoutMs;
        c.store = store;
        c.directReads = directReads;
        c.tlsKeyStore = tlsKeyStore;
        c.tlsKeyStorePassword = tlsKeyStorePassword;
        c.tlsTrustStore = tlsTrustStore;
        c.tlsTrustStorePassword = tlsTrustStorePassword;
        c.tlsHostnameVerification = tlsHostnameVerification;
        return c;
    }

    private static long positive(final String name, final long value)
    {
        if (value <= 0)
        {
            throw new TransportException(name + " must be > 0, got " + value);
        }
        return value;
    }

    @Override
    public String toString()
    {
        return "TransportContext{kind=" + kind() + ", host=" + host + ", port=" + port + ", nodeId=" + nodeId() +
            ", token=" + (token == null ? "unset" : "set(" + token.length + " bytes)") + ", ioThreads=" + ioThreads +
            ", maxFrameBytes=" + maxFrameBytes + ", chunkBytes=" + chunkBytes() + ", windowBytes=" + windowBytes +
            ", splitMinBytes=" + splitMinBytes + ", store=" + (store == null ? "none" : store.path()) +
            ", tls=" + (tlsKeyStore == null ? "off" : tlsKeyStore + "/" + tlsTrustStore) + '}';
    }
}
