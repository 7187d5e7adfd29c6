package io.tessera.transport.internal;

/**
 * Payloads of the handshake frames (after the {@link FrameLayout} header), little-endian.
 * <pre>
 * HELLO (client -&gt; server)                 CHALLENGE (server -&gt; client)
 *  +-------------------------------+        +-------------------------------+
 *  | Magic 'TSRA' (i32)            |  0     | Protocol Version (u16) | pad  |  0
 *  +---------------+---------------+        +-------------------------------+
 *  | Version (u16) | pad (u16)     |  4     | Server Nonce (32 bytes)       |  4
 *  +---------------+---------------+        +-------------------------------+
 *  | Client Nonce (32 bytes)       |  8     | Server Proof (32 bytes)       | 36
 *  +-------------------------------+        |  HMAC-SHA256(token, 'S' |     |
 *  | Node Id Length (u16)          | 40     |   client nonce | server nonce)|
 *  +-------------------------------+        +-------------------------------+
 *  | Node Id (UTF-8) ...          ...  42   | Node Id Length (u16)          | 68
 *  +-------------------------------+        +-------------------------------+
 *                                           | Node Id (UTF-8) ...          ... 70
 * AUTH (client -&gt; server)
 *  +-------------------------------+
 *  | Client Proof (32 bytes)       |  0   HMAC-SHA256(token, 'C' | server nonce | client nonce)
 *  +-------------------------------+
 * </pre>
 * The token itself never crosses the wire; each side proves it knows it over the other's fresh
 * nonce, so a recorded handshake cannot be replayed. WELCOME has no payload; REJECT carries a UTF-8
 * reason.
 */
public final class HandshakeLayout
{
    /** "TSRA" read as a little-endian i32. */
    public static final int MAGIC = 0x41525354;
    /** The protocol this build speaks; a peer with another is refused. */
    public static final int PROTOCOL_VERSION = 1;
    public static final int NONCE_LENGTH = 32;
    public static final int PROOF_LENGTH = 32;
    /** Longest node id, in UTF-8 bytes. */
    public static final int MAX_NODE_ID_LENGTH = 256;
    /** Largest frame accepted before the peer is authenticated. */
    public static final int MAX_HANDSHAKE_FRAME_LENGTH = 1024;

    public static final int HELLO_MAGIC_OFFSET = 0;
    public static final int HELLO_VERSION_OFFSET = 4;
    public static final int HELLO_NONCE_OFFSET = 8;
    public static final int HELLO_NODE_ID_LENGTH_OFFSET = HELLO_NONCE_OFFSET + NONCE_LENGTH;
    public static final int HELLO_NODE_ID_OFFSET = HELLO_NODE_ID_LENGTH_OFFSET + 2;

    public static final int CHALLENGE_VERSION_OFFSET = 0;
    public static final int CHALLENGE_NONCE_OFFSET = 4;
    public static final int CHALLENGE_PROOF_OFFSET = CHALLENGE_NONCE_OFFSET + NONCE_LENGTH;
    public static final int CHALLENGE_NODE_ID_LENGTH_OFFSET = CHALLENGE_PROOF_OFFSET + PROOF_LENGTH;
    public static final int CHALLENGE_NODE_ID_OFFSET = CHALLENGE_NODE_ID_LENGTH_OFFSET + 2;

    public static final int AUTH_PROOF_OFFSET = 0;
    public static final int AUTH_LENGTH = PROOF_LENGTH;

    /** Domain byte of the server's proof. */
    public static final byte SERVER_PROOF_DOMAIN = 'S';
    /** Domain byte of the client's proof. */
    public static final byte CLIENT_PROOF_DOMAIN = 'C';

    private HandshakeLayout()
    {
    }
}
