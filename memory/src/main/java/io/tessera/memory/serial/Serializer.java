package io.tessera.memory.serial;

import io.tessera.memory.ObjectId;
import io.tessera.memory.ObjectStore;
import io.tessera.memory.ObjectView;
import org.apache.fory.Fory;
import org.apache.fory.ThreadSafeFory;
import org.apache.fory.config.Language;
import org.apache.fory.logging.LogLevel;
import org.apache.fory.logging.LoggerFactory;
import org.apache.fory.util.LoaderBinding;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;

/**
 * Encodes values for the object store, independent of any store instance. Thread-safe.
 * <p>
 * Raw kinds carry no header: a primitive array's bytes are its elements in native byte order (a
 * {@code boolean[]} one byte per element, 0 or 1), a {@link ByteBuffer} its bytes from position to
 * limit, a {@link MemorySegment} its bytes. {@code null} is an empty object of {@link #KIND_NULL}.
 * Any other value goes through Apache Fory (Java mode, no registration required, reference tracking
 * on, so shared references and cycles survive) as {@link #KIND_FORY}.
 * <p>
 * Decoding copies: the value returned by {@link #decode} does not depend on the object staying pinned
 * ({@link ObjectView#segment()} is the zero-copy path). Byte buffers decode to read-only heap
 * buffers, segments to heap segments.
 */
public final class Serializer
{
    /** The stored kind of {@code null}: no bytes. */
    public static final int KIND_NULL = 0;
    /** The stored kind of a {@code byte[]}: its elements' bytes, native order, no header. */
    public static final int KIND_BYTES = 1;
    /** The stored kind of a {@code boolean[]}: its elements' bytes, native order, no header. */
    public static final int KIND_BOOLEANS = 2;
    /** The stored kind of a {@code char[]}: its elements' bytes, native order, no header. */
    public static final int KIND_CHARS = 3;
    /** The stored kind of a {@code short[]}: its elements' bytes, native order, no header. */
    public static final int KIND_SHORTS = 4;
    /** The stored kind of a {@code int[]}: its elements' bytes, native order, no header. */
    public static final int KIND_INTS = 5;
    /** The stored kind of a {@code long[]}: its elements' bytes, native order, no header. */
    public static final int KIND_LONGS = 6;
    /** The stored kind of a {@code float[]}: its elements' bytes, native order, no header. */
    public static final int KIND_FLOATS = 7;
    /** The stored kind of a {@code double[]}: its elements' bytes, native order, no header. */
    public static final int KIND_DOUBLES = 8;
    /** The stored kind of a {@code ByteBuffer}: its bytes from position to limit. */
    public static final int KIND_BYTE_BUFFER = 9;
    /** The stored kind of a {@code MemorySegment}: its bytes. */
    public static final int KIND_SEGMENT = 10;
    /**
     * The stored kind of any other value: Apache Fory's encoding (classes checked against {@link DeniedClasses}).
     */
    public static final int KIND_FORY = 11;
    /** Kinds at or above this are free for callers' own encodings. */
    public static final int FIRST_USER_KIND = 64;

    private static final MemorySegment EMPTY = MemorySegment.ofArray(new byte[0]);

    static
    {
        if (!Boolean.getBoolean("tessera.serializer.verbose"))
        {
            // Fory logs an INFO line per instance (one per thread) and a WARN that registration is not
            // required, which is this serializer's documented configuration.
            LoggerFactory.setLogLevel(LogLevel.ERROR_LEVEL);
        }
    }

    private final ThreadSafeFory fory;

    /**
     * Creates a serializer with its own thread-safe Fory instance (class registration not required,
     * reference tracking on, the deny list applied). Creating one is costly: keep it.
     */
    public Serializer()
    {
        fory = Fory.builder()
            .withLanguage(Language.JAVA)
            .requireClassRegistration(false)
            .withRefTracking(true)
            .buildThreadSafeFory();
        // Values come from other processes (pulled objects): refuse known gadget classes.
        fory.setTypeChecker((resolver, className) -> !DeniedClasses.isDenied(className));
    }

    /**
     * Fory bound to the calling thread's context class loader, so that a job's own classes resolve
     * where the job runs in a class loader of its own (a cluster node); one Fory per loader, kept
     * softly so that a finished job's loader can be collected.
     */
    private ThreadSafeFory fory()
    {
        final ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader != null && fory.getClassLoader() != loader)
        {
            fory.setClassLoader(loader, LoaderBinding.StagingType.SOFT_STAGING);
        }
        return fory;
    }

    /**
     * Pre-registers types with Fory (smaller output, faster). Call before the first use; every
     * process reading the objects must register the same types in the same order.
     *
     * @param types classes to register.
     * @return this.
     */
    public Serializer register(final Class<?>... types)
    {
        for (final Class<?> type : types)
        {
            fory.register(type);
        }
        return this;
    }

    /**
     * Returns the kind it is stored as.
     *
     * @param value any value, may be null.
     * @return the kind it is stored as.
     */
    public int kindOf(final Object value)
    {
        return switch (value)
        {
            case null -> KIND_NULL;
            case byte[] ignored -> KIND_BYTES;
            case boolean[] ignored -> KIND_BOOLEANS;
            case char[] ignored -> KIND_CHARS;
            case short[] ignored -> KIND_SHORTS;
            case int[] ignored -> KIND_INTS;
            case long[] ignored -> KIND_LONGS;
            case float[] ignored -> KIND_FLOATS;
            case double[] ignored -> KIND_DOUBLES;
            case ByteBuffer ignored -> KIND_BYTE_BUFFER;
            case MemorySegment ignored -> KIND_SEGMENT;
            default -> KIND_FORY;
        };
    }

    /**
     * Returns true when values of that kind are stored as their bare bytes.
     *
     * @param kind a kind.
     * @return true when values of that kind are stored as their bare bytes.
     */
    public static boolean isRaw(final int kind)
    {
        return kind >= KIND_NULL && kind <= KIND_SEGMENT;
    }

    /**
     * Returns its stored bytes as a segment: a view of the value itself for raw kinds (no copy, except
     * {@code boolean[]}), the Fory encoding otherwise.
     *
     * @param value any value.
     * @return its stored bytes as a segment: a view of the value itself for raw kinds (no copy, except
     * {@code boolean[]}), the Fory encoding otherwise.
     */
    public MemorySegment encodeToSegment(final Object value)
    {
        return switch (value)
        {
            case null -> EMPTY;
            case byte[] a -> MemorySegment.ofArray(a);
            case boolean[] a -> MemorySegment.ofArray(booleansToBytes(a));
            case char[] a -> MemorySegment.ofArray(a);
            case short[] a -> MemorySegment.ofArray(a);
            case int[] a -> MemorySegment.ofArray(a);
            case long[] a -> MemorySegment.ofArray(a);
            case float[] a -> MemorySegment.ofArray(a);
            case double[] a -> MemorySegment.ofArray(a);
            case ByteBuffer b -> MemorySegment.ofBuffer(b);
            case MemorySegment s -> s;
            default -> MemorySegment.ofArray(fory().serialize(value));
        };
    }

    /**
     * Returns its stored bytes in a new heap array.
     *
     * @param value any value.
     * @return its stored bytes in a new heap array.
     */
    public byte[] encode(final Object value)
    {
        if (kindOf(value) == KIND_FORY)
        {
            return fory().serialize(value);
        }
        return encodeToSegment(value).toArray(ValueLayout.JAVA_BYTE);
    }

    /**
     * Writes the value's stored bytes into {@code target} (e.g. a segment from
     * {@link ObjectStore#create}).
     *
     * @param value  any value.
     * @param target destination, at least {@link #encodedSize} bytes.
     * @return bytes written.
     */
    public long encodeInto(final Object value, final MemorySegment target)
    {
        final MemorySegment source = encodeToSegment(value);
        final long size = source.byteSize();
        if (size > target.byteSize())
        {
            throw new IllegalArgumentException("target of " + target.byteSize() + " bytes is too small for " +
                size + " encoded bytes of a " + value.getClass().getName());
        }
        MemorySegment.copy(source, 0, target, 0, size);
        return size;
    }

    /**
     * Returns the size of its stored bytes (serializes Fory values to find out).
     *
     * @param value any value.
     * @return the size of its stored bytes (serializes Fory values to find out).
     */
    public long encodedSize(final Object value)
    {
        return encodeToSegment(value).byteSize();
    }

    /**
     * Stores a value: create, one bulk copy, seal.
     *
     * @param store destination.
     * @param id    new object id.
     * @param value any value.
     * @return {@code id}.
     */
    public ObjectId put(final ObjectStore store, final ObjectId id, final Object value)
    {
        store.put(id, encodeToSegment(value), kindOf(value));
        return id;
    }

    /**
     * Returns its decoded value (a copy; the view may be released afterwards).
     *
     * @param view a pinned object.
     * @return its decoded value (a copy; the view may be released afterwards).
     */
    public Object read(final ObjectView view)
    {
        return decode(view.kind(), view.segment());
    }

    /**
     * Pins, decodes and releases.
     *
     * @param store     source.
     * @param id        object.
     * @param timeoutNs how long to wait for it to be sealed.
     * @param ifAbsent  returned when it is not sealed within the timeout.
     * @return the value, or {@code ifAbsent}.
     */
    public Object get(final ObjectStore store, final ObjectId id, final long timeoutNs, final Object ifAbsent)
    {
        final ObjectView view = store.get(id, timeoutNs);
        if (view == null)
        {
            return ifAbsent;
        }
        try
        {
            return read(view);
        }
        finally
        {
            store.release(id);
        }
    }

    /**
     * Returns the value.
     *
     * @param kind  the kind the bytes were stored as.
     * @param bytes the stored bytes.
     * @return the value.
     */
    public Object decode(final int kind, final MemorySegment bytes)
    {
        return switch (kind)
        {
            case KIND_NULL -> null;
            case KIND_BYTES -> bytes.toArray(ValueLayout.JAVA_BYTE);
            case KIND_BOOLEANS -> bytesToBooleans(bytes);
            case KIND_CHARS -> bytes.toArray(ValueLayout.JAVA_CHAR_UNALIGNED);
            case KIND_SHORTS -> bytes.toArray(ValueLayout.JAVA_SHORT_UNALIGNED);
            case KIND_INTS -> bytes.toArray(ValueLayout.JAVA_INT_UNALIGNED);
            case KIND_LONGS -> bytes.toArray(ValueLayout.JAVA_LONG_UNALIGNED);
            case KIND_FLOATS -> bytes.toArray(ValueLayout.JAVA_FLOAT_UNALIGNED);
            case KIND_DOUBLES -> bytes.toArray(ValueLayout.JAVA_DOUBLE_UNALIGNED);
            case KIND_BYTE_BUFFER -> ByteBuffer.wrap(bytes.toArray(ValueLayout.JAVA_BYTE)).asReadOnlyBuffer();
            case KIND_SEGMENT -> MemorySegment.ofArray(bytes.toArray(ValueLayout.JAVA_BYTE));
            case KIND_FORY -> bytes.isNative() ?
                fory().deserialize(bytes.address(), Math.toIntExact(bytes.byteSize())) :
                fory().deserialize(bytes.toArray(ValueLayout.JAVA_BYTE));
            default -> throw new IllegalArgumentException("unknown kind " + kind + ": the serializer decodes kinds " +
                KIND_NULL + ".." + KIND_FORY + "; kinds >= " + FIRST_USER_KIND + " are the caller's own");
        };
    }

    private static byte[] booleansToBytes(final boolean[] values)
    {
        final byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++)
        {
            bytes[i] = values[i] ? (byte)1 : (byte)0;
        }
        return bytes;
    }

    private static boolean[] bytesToBooleans(final MemorySegment bytes)
    {
        final boolean[] values = new boolean[Math.toIntExact(bytes.byteSize())];
        for (int i = 0; i < values.length; i++)
        {
            values[i] = bytes.get(ValueLayout.JAVA_BYTE, i) != 0;
        }
        return values;
    }
}
