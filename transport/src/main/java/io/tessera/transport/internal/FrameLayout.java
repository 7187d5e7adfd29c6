package io.tessera.transport.internal;

import io.netty.buffer.ByteBuf;

/**
 * The header every frame on a Tessera connection starts with. All fields little-endian.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |              Frame Length (i32, header + payload)             |  0
 *  +-------------------------------+---------------+---------------+
 *  |         Type (u16)            |  Flags (u8)   | Reserved (0)  |  4
 *  +-------------------------------+---------------+---------------+
 *  |                    Correlation Id (i64)                       |  8
 *  |          0 = one-way; request id; or object stream id         |
 *  +---------------------------------------------------------------+
 *  |                         Payload ...                          ...  16
 *  +---------------------------------------------------------------+
 * </pre>
 * Types below {@link #FIRST_USER_TYPE} belong to the transport (handshake, object transfer); the
 * rest are the engine's. A frame whose length is below {@link #HEADER_LENGTH} or above the
 * receiver's limit, whose reserved byte is not zero or whose flags carry unknown bits is malformed:
 * the receiver counts it and closes the connection.
 */
public final class FrameLayout
{
    public static final int LENGTH_OFFSET = 0;
    public static final int TYPE_OFFSET = 4;
    public static final int FLAGS_OFFSET = 6;
    public static final int RESERVED_OFFSET = 7;
    public static final int CORRELATION_ID_OFFSET = 8;
    public static final int HEADER_LENGTH = 16;

    /** Set on a reply to a request; the correlation id is the request's. */
    public static final int FLAG_REPLY = 0x1;
    /** Set with {@link #FLAG_REPLY} when the reply is an error: the payload is a UTF-8 message. */
    public static final int FLAG_ERROR = 0x2;
    /** Flags a frame may carry. */
    public static final int KNOWN_FLAGS = FLAG_REPLY | FLAG_ERROR;

    /** Highest type a frame may carry (u16). */
    public static final int MAX_TYPE = 0xFFFF;
    /** Types below this are reserved for the transport. */
    public static final int FIRST_USER_TYPE = 100;

    /** Client's first frame: magic, protocol version, client nonce, node id ({@link HandshakeLayout}). */
    public static final int TYPE_HELLO = 1;
    /** Server's answer: version, server nonce, server proof, node id. */
    public static final int TYPE_CHALLENGE = 2;
    /** Client's proof. */
    public static final int TYPE_AUTH = 3;
    /** Server accepted the client. */
    public static final int TYPE_WELCOME = 4;
    /** Either side refuses the other; payload is a UTF-8 reason; the sender closes. */
    public static final int TYPE_REJECT = 5;
    /** Request: which size and kind has object id? ({@link TransferLayout}). */
    public static final int TYPE_OBJECT_INFO = 10;
    /** Opens an object stream: send this byte range of this object, with this much initial credit. */
    public static final int TYPE_PULL = 11;
    /** A chunk of an object stream: offset then bytes. */
    public static final int TYPE_CHUNK = 12;
    /** More credit for an object stream. */
    public static final int TYPE_CREDIT = 13;
    /** The holder cannot serve an object stream: reason code then a UTF-8 message. */
    public static final int TYPE_PULL_ERROR = 14;
    /** The puller abandons an object stream. */
    public static final int TYPE_CANCEL = 15;

    private FrameLayout()
    {
    }

    /**
     * Writes a header at the buffer's writer index and advances it.
     *
     * @param buf           destination.
     * @param frameLength   header + payload length.
     * @param type          message type.
     * @param flags         flags.
     * @param correlationId correlation id.
     */
    public static void writeHeader(final ByteBuf buf, final int frameLength, final int type, final int flags,
        final long correlationId)
    {
        buf.writeIntLE(frameLength);
        buf.writeShortLE(type);
        buf.writeByte(flags);
        buf.writeByte(0);
        buf.writeLongLE(correlationId);
    }

    public static int frameLength(final ByteBuf buf, final int frameOffset)
    {
        return buf.getIntLE(frameOffset + LENGTH_OFFSET);
    }

    public static int type(final ByteBuf buf, final int frameOffset)
    {
        return buf.getUnsignedShortLE(frameOffset + TYPE_OFFSET);
    }

    public static int flags(final ByteBuf buf, final int frameOffset)
    {
        return buf.getUnsignedByte(frameOffset + FLAGS_OFFSET);
    }

    public static int reserved(final ByteBuf buf, final int frameOffset)
    {
        return buf.getUnsignedByte(frameOffset + RESERVED_OFFSET);
    }

    public static long correlationId(final ByteBuf buf, final int frameOffset)
    {
        return buf.getLongLE(frameOffset + CORRELATION_ID_OFFSET);
    }

    /**
     * @param type frame type.
     * @return a readable name for logs.
     */
    public static String typeName(final int type)
    {
        return switch (type)
        {
            case TYPE_HELLO -> "HELLO";
            case TYPE_CHALLENGE -> "CHALLENGE";
            case TYPE_AUTH -> "AUTH";
            case TYPE_WELCOME -> "WELCOME";
            case TYPE_REJECT -> "REJECT";
            case TYPE_OBJECT_INFO -> "OBJECT_INFO";
            case TYPE_PULL -> "PULL";
            case TYPE_CHUNK -> "CHUNK";
            case TYPE_CREDIT -> "CREDIT";
            case TYPE_PULL_ERROR -> "PULL_ERROR";
            case TYPE_CANCEL -> "CANCEL";
            default -> type >= FIRST_USER_TYPE ? "USER(" + type + ")" : "RESERVED(" + type + ")";
        };
    }
}
