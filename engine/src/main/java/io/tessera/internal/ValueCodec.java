package io.tessera.internal;

import io.tessera.memory.ObjectId;
import io.tessera.memory.ObjectStore;
import io.tessera.memory.ObjectView;
import io.tessera.memory.serial.Serializer;

import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engine's use of the store's {@link Serializer}: which values count as large raw results,
 * storing and reading values, and the submit-time check that arguments can be serialized.
 */
public final class ValueCodec
{
    private final Serializer serializer = new Serializer();
    private final Set<Class<?>> registered = ConcurrentHashMap.newKeySet();

    ValueCodec(List<Class<?>> register)
    {
        if (!register.isEmpty())
        {
            serializer.register(register.toArray(Class<?>[]::new));
            registered.addAll(register);
        }
    }

    /** The stored size of a raw value (primitive array, buffer, segment), or -1 for anything else. */
    public long rawSize(Object v)
    {
        return switch (v)
        {
            case null -> -1;
            case byte[] a -> a.length;
            case double[] a -> (long) a.length * Double.BYTES;
            case long[] a -> (long) a.length * Long.BYTES;
            case int[] a -> (long) a.length * Integer.BYTES;
            case float[] a -> (long) a.length * Float.BYTES;
            case short[] a -> (long) a.length * Short.BYTES;
            case char[] a -> (long) a.length * Character.BYTES;
            case boolean[] a -> a.length;
            case ByteBuffer b -> b.remaining();
            case MemorySegment s -> s.byteSize();
            default -> -1;
        };
    }

    /**
     * Whether a value's serialized form may hold {@code ObjectRef}s: false for null, raw values,
     * strings and boxed primitives, which are stored without looking for refs.
     */
    boolean mayHoldRefs(Object v)
    {
        return !(v == null || v instanceof String || v instanceof Number || v instanceof Boolean
            || v instanceof Character) && rawSize(v) < 0;
    }

    void put(ObjectStore store, ObjectId id, Object value)
    {
        serializer.put(store, id, value);
    }

    /** Whether values of the view's kind are handed out as views of the store rather than decoded copies. */
    static boolean isZeroCopy(ObjectView view)
    {
        return view.kind() == Serializer.KIND_SEGMENT;
    }

    Object decode(ObjectView view)
    {
        return serializer.read(view);
    }

    /**
     * Whether the engine can serialize a value of this type: {@code Serializable}, raw, or a class
     * registered with {@code TesseraConfig.builder().register(...)}.
     */
    boolean canSerialize(Object value)
    {
        return value == null || value instanceof Serializable || rawSize(value) >= 0 || registered.contains(value.getClass());
    }
}
