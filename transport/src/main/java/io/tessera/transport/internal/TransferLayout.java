package io.tessera.transport.internal;

/**
 * Payloads of the object transfer frames (after the {@link FrameLayout} header), little-endian.
 * The header's correlation id is the request id for OBJECT_INFO and the stream id (chosen by the
 * puller, unique per connection) for PULL, CHUNK, CREDIT, PULL_ERROR and CANCEL.
 * <pre>
 * OBJECT_INFO request                  OBJECT_INFO reply
 *  +------------------------------+     +------------------------------+
 *  | Object Id hi (i64)           |  0  | Size (i64), -1 = unknown     |  0
 *  | Object Id lo (i64)           |  8  | Kind (i32)                   |  8
 *  +------------------------------+     +------------------------------+
 *
 * PULL (puller -&gt; holder)              CHUNK (holder -&gt; puller)
 *  +------------------------------+     +------------------------------+
 *  | Object Id hi (i64)           |  0  | Offset in object (i64)       |  0
 *  | Object Id lo (i64)           |  8  +------------------------------+
 *  | Range Offset (i64)           | 16  | Bytes ...                   ...  8
 *  | Range Length (i64)           | 24  +------------------------------+
 *  | Initial Credit (i64)         | 32
 *  +------------------------------+     CREDIT (puller -&gt; holder)
 *                                       +------------------------------+
 * PULL_ERROR (holder -&gt; puller)         | Bytes granted (i64)          |  0
 *  +------------------------------+     +------------------------------+
 *  | Reason (i32)                 |  0
 *  | Message (UTF-8) ...         ...  4   CANCEL: no payload
 *  +------------------------------+
 * </pre>
 * Flow control: the holder never has more stream bytes unacknowledged than the credit granted; the
 * puller grants credit back as it copies bytes into its store, so a slow puller stalls the holder
 * rather than buffering.
 */
public final class TransferLayout
{
    public static final int INFO_REQUEST_LENGTH = 16;
    public static final int INFO_REPLY_SIZE_OFFSET = 0;
    public static final int INFO_REPLY_KIND_OFFSET = 8;
    public static final int INFO_REPLY_LENGTH = 12;

    public static final int PULL_ID_HI_OFFSET = 0;
    public static final int PULL_ID_LO_OFFSET = 8;
    public static final int PULL_RANGE_OFFSET_OFFSET = 16;
    public static final int PULL_RANGE_LENGTH_OFFSET = 24;
    public static final int PULL_CREDIT_OFFSET = 32;
    public static final int PULL_LENGTH = 40;

    public static final int CHUNK_OFFSET_OFFSET = 0;
    public static final int CHUNK_HEADER_LENGTH = 8;

    public static final int CREDIT_BYTES_OFFSET = 0;
    public static final int CREDIT_LENGTH = 8;

    public static final int PULL_ERROR_REASON_OFFSET = 0;
    public static final int PULL_ERROR_MESSAGE_OFFSET = 4;

    /** PULL_ERROR reason: the holder does not have the object. */
    public static final int REASON_UNKNOWN_OBJECT = 1;
    /** PULL_ERROR reason: the request was out of range or otherwise invalid. */
    public static final int REASON_BAD_REQUEST = 2;
    /** PULL_ERROR reason: the holder failed internally. */
    public static final int REASON_INTERNAL = 3;

    private TransferLayout()
    {
    }
}
