package io.tessera.internal.cluster;

import io.tessera.TesseraException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Encoding of the engine's control messages (registration, heartbeats, task specs and results):
 * a {@link DataOutputStream}-format body, with Java serialization for user functions, arguments, values
 * and exceptions, resolved through the job's class loader. Control messages are not the object
 * data path: objects move store to store through the transport's pulls.
 */
final class Wire
{
    private Wire()
    {
    }

    private static final java.lang.invoke.VarHandle INT = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
        int[].class, java.nio.ByteOrder.BIG_ENDIAN);
    private static final java.lang.invoke.VarHandle LONG = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
        long[].class, java.nio.ByteOrder.BIG_ENDIAN);

    /**
     * A growable message body: big-endian fields in a plain array, as {@link DataOutputStream} writes them
     * (strings in its modified UTF-8 with a 16-bit length), without its per-byte synchronized stream calls.
     */
    static final class Out
    {
        // a task or actor call carries its function's serialized bytes (a few hundred): one array for most messages
        private byte[] buf = new byte[768];
        private int pos;

        private void ensure(int n)
        {
            if (pos + n > buf.length)
            {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
            }
        }

        Out str(String s)
        {
            bool(s != null);
            if (s != null)
            {
                final int chars = s.length();
                int utf = 0;
                for (int i = 0; i < chars; i++)
                {
                    final char c = s.charAt(i);
                    utf += c >= 0x0001 && c <= 0x007F ? 1 : c <= 0x07FF ? 2 : 3;
                }
                if (utf > 0xFFFF)
                {
                    throw new UncheckedIOException(new java.io.UTFDataFormatException("encoded string too long: " + utf + " bytes"));
                }
                ensure(2 + utf);
                buf[pos++] = (byte)(utf >>> 8);
                buf[pos++] = (byte)utf;
                for (int i = 0; i < chars; i++)
                {
                    final char c = s.charAt(i);
                    if (c >= 0x0001 && c <= 0x007F)
                    {
                        buf[pos++] = (byte)c;
                    }
                    else if (c <= 0x07FF)
                    {
                        buf[pos++] = (byte)(0xC0 | ((c >> 6) & 0x1F));
                        buf[pos++] = (byte)(0x80 | (c & 0x3F));
                    }
                    else
                    {
                        buf[pos++] = (byte)(0xE0 | ((c >> 12) & 0x0F));
                        buf[pos++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                        buf[pos++] = (byte)(0x80 | (c & 0x3F));
                    }
                }
            }
            return this;
        }

        Out i32(int v)
        {
            ensure(4);
            INT.set(buf, pos, v);
            pos += 4;
            return this;
        }

        Out i64(long v)
        {
            ensure(8);
            LONG.set(buf, pos, v);
            pos += 8;
            return this;
        }

        Out f64(double v)
        {
            return i64(Double.doubleToLongBits(v));
        }

        Out bool(boolean v)
        {
            ensure(1);
            buf[pos++] = (byte)(v ? 1 : 0);
            return this;
        }

        Out bytes(byte[] b)
        {
            return i32(b.length).raw(b);
        }

        /** Bytes another {@code Out} produced, as they are (no length). */
        Out raw(byte[] b)
        {
            ensure(b.length);
            System.arraycopy(b, 0, buf, pos, b.length);
            pos += b.length;
            return this;
        }

        Out amounts(Map<String, Double> m)
        {
            i32(m.size());
            m.forEach((k, v) -> str(k).f64(v));
            return this;
        }

        byte[] toBytes()
        {
            return java.util.Arrays.copyOf(buf, pos);
        }
    }

    /** A message body being read; every read checks bounds and fails with a clear error. */
    static final class In
    {
        private final byte[] buf;
        private int pos;

        In(byte[] b)
        {
            buf = b;
        }

        In(MemorySegment s)
        {
            this(s.toArray(ValueLayout.JAVA_BYTE));
        }

        private int take(int n)
        {
            if (n > buf.length - pos)
            {
                throw malformed(new java.io.EOFException("needs " + n + " bytes at " + pos + " of " + buf.length));
            }
            final int at = pos;
            pos += n;
            return at;
        }

        String str()
        {
            if (!bool())
            {
                return null;
            }
            final int at = take(2);
            final int utf = ((buf[at] & 0xFF) << 8) | (buf[at + 1] & 0xFF);
            final int from = take(utf);
            for (int i = from; i < from + utf; i++)
            {
                if (buf[i] <= 0)
                {
                    // not plain ASCII: the JDK's modified UTF-8 reader, with its checks
                    try
                    {
                        return new DataInputStream(new ByteArrayInputStream(buf, at, 2 + utf)).readUTF();
                    }
                    catch (IOException ex)
                    {
                        throw malformed(ex);
                    }
                }
            }
            return new String(buf, from, utf, java.nio.charset.StandardCharsets.ISO_8859_1);
        }

        int i32()
        {
            return (int)INT.get(buf, take(4));
        }

        /**
         * A count of elements that follow: refused when negative or larger than the bytes left (every
         * element takes at least one), so a peer cannot make this process allocate for what it did not send.
         */
        int count()
        {
            final int n = i32();
            final int left = buf.length - pos;
            if (n < 0 || n > left)
            {
                throw malformed(new IOException("count " + n + " exceeds the " + left + " bytes left"));
            }
            return n;
        }

        long i64()
        {
            return (long)LONG.get(buf, take(8));
        }

        double f64()
        {
            return Double.longBitsToDouble(i64());
        }

        boolean bool()
        {
            return buf[take(1)] != 0;
        }

        byte[] bytes()
        {
            final int n = i32();
            if (n < 0 || n > buf.length - pos)
            {
                throw malformed(new IOException("length " + n + " exceeds the " + (buf.length - pos) + " bytes left"));
            }
            final int from = take(n);
            return java.util.Arrays.copyOfRange(buf, from, from + n);
        }

        Map<String, Double> amounts()
        {
            final int n = i32();
            if (n < 0 || n > 10_000)
            {
                throw malformed(new IOException("implausible map size " + n));
            }
            final Map<String, Double> m = new LinkedHashMap<>();
            for (int i = 0; i < n; i++)
            {
                final String name = str();
                final double amount = f64();
                if (name == null || !Double.isFinite(amount))
                {
                    // a resource table with a null name or a NaN amount would break every later status and placement
                    throw malformed(new IOException("resource " + name + " = " + amount + " is not a name with a finite amount"));
                }
                m.put(name, amount);
            }
            return m;
        }

        private static TesseraException malformed(IOException ex)
        {
            return new TesseraException("malformed control message: " + ex.getMessage(), ex);
        }
    }

    private static final int V_NULL = 0;
    private static final int V_INT = 1;
    private static final int V_LONG = 2;
    private static final int V_DOUBLE = 3;
    private static final int V_STRING = 4;
    private static final int V_BOOLEAN = 5;
    private static final int V_BYTES = 6;
    private static final int V_BUFFER = 7;
    private static final int V_SEGMENT = 8;
    private static final int V_SERIALIZED = 9;

    /** Writes a value: common JDK types in a few bytes, anything else Java-serialized. */
    static void writeValue(Out out, Object v)
    {
        switch (v)
        {
            case null -> out.i32(V_NULL);
            case Integer i -> out.i32(V_INT).i32(i);
            case Long l -> out.i32(V_LONG).i64(l);
            case Double d -> out.i32(V_DOUBLE).f64(d);
            case String str when str.length() < 16_384 -> out.i32(V_STRING).str(str);
            case Boolean b -> out.i32(V_BOOLEAN).bool(b);
            case byte[] b -> out.i32(V_BYTES).bytes(b);
            case java.nio.ByteBuffer b -> out.i32(V_BUFFER).bytes(bytesOf(b));
            case MemorySegment s -> out.i32(V_SEGMENT).bytes(s.toArray(ValueLayout.JAVA_BYTE));
            default -> out.i32(V_SERIALIZED).bytes(serialize(v));
        }
    }

    /** A buffer's bytes from position to limit (as the store keeps them); the buffer itself is left as it was. */
    private static byte[] bytesOf(java.nio.ByteBuffer b)
    {
        final byte[] bytes = new byte[b.remaining()];
        b.duplicate().get(bytes);
        return bytes;
    }

    /** Reads what {@link #writeValue} wrote. */
    static Object readValue(In in, ClassLoader loader)
    {
        final int tag = in.i32();
        return switch (tag)
        {
            case V_NULL -> null;
            case V_INT -> in.i32();
            case V_LONG -> in.i64();
            case V_DOUBLE -> in.f64();
            case V_STRING -> in.str();
            case V_BOOLEAN -> in.bool();
            case V_BYTES -> in.bytes();
            case V_BUFFER -> java.nio.ByteBuffer.wrap(in.bytes()).asReadOnlyBuffer();
            case V_SEGMENT -> MemorySegment.ofArray(in.bytes()).asReadOnly();
            case V_SERIALIZED -> deserialize(in.bytes(), loader);
            default -> throw new TesseraException("malformed control message: unknown value tag " + tag);
        };
    }

    /** A stateless function's serialized form and the 64-bit digest nodes cache it by. */
    private record FunctionBytes(byte[] bytes, long digest)
    {
    }

    private static final ClassValue<FunctionBytes[]> FUNCTION_BYTES = new ClassValue<>()
    {
        @Override
        protected FunctionBytes[] computeValue(Class<?> type)
        {
            return new FunctionBytes[1];
        }
    };

    /**
     * Writes a function: stateless ones are serialized once per class, with a digest of their bytes
     * under which nodes keep one deserialized instance.
     */
    static void writeFunction(Out out, Object fn)
    {
        if (!io.tessera.internal.Lambdas.isStateless(fn))
        {
            out.bool(false).bytes(serialize(fn));
            return;
        }
        final FunctionBytes[] slot = FUNCTION_BYTES.get(fn.getClass());
        FunctionBytes b = slot[0];
        if (b == null)
        {
            final byte[] bytes = serialize(fn);
            final byte[] sha = java.util.HexFormat.of().parseHex(JobClasspath.sha256(bytes));
            b = new FunctionBytes(bytes, java.nio.ByteBuffer.wrap(sha).getLong());
            slot[0] = b;
        }
        out.bool(true).i64(b.digest()).bytes(b.bytes());
    }

    /** Reads a function; stateless ones come from {@code cache} (by class loader and digest). */
    static Object readFunction(In in, ClassLoader loader, Map<Object, Object> cache)
    {
        final boolean stateless = in.bool();
        final long digest = stateless ? in.i64() : 0;
        final byte[] bytes = in.bytes();
        if (!stateless)
        {
            return deserialize(bytes, loader);
        }
        final Object key = new FunctionKey(loader, digest);
        final Object known = cache.get(key);
        if (known != null)
        {
            return known;
        }
        final Object fn = deserialize(bytes, loader);
        if (cache.size() > 4096)
        {
            cache.clear();
        }
        cache.put(key, fn);
        return fn;
    }

    private record FunctionKey(ClassLoader loader, long digest)
    {
    }

    /** Whether a key of a {@link #readFunction} cache names a function of {@code loader} (to forget a finished job's). */
    static boolean isOfLoader(Object key, ClassLoader loader)
    {
        return key instanceof FunctionKey k && k.loader() == loader;
    }

    /** Java-serializes a function, argument, value or exception. */
    static byte[] serialize(Object o)
    {
        final ByteArrayOutputStream b = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new ObjectOutputStream(b))
        {
            out.writeObject(o);
        }
        catch (IOException ex)
        {
            throw new IllegalArgumentException("cannot serialize a " + (o == null ? "null" : o.getClass().getName())
                + " for another node: " + ex, ex);
        }
        return b.toByteArray();
    }

    /** Reads what {@link #serialize} wrote, resolving classes through {@code loader}. */
    static Object deserialize(byte[] bytes, ClassLoader loader)
    {
        try (ObjectInputStream in = new LoaderObjectInputStream(new ByteArrayInputStream(bytes), loader))
        {
            in.setObjectInputFilter(SerialFilter.forStream(bytes.length));
            return in.readObject();
        }
        catch (IOException | ClassNotFoundException ex)
        {
            throw new TesseraException("cannot deserialize a value from another node: " + ex, ex);
        }
    }

    private static final class LoaderObjectInputStream extends ObjectInputStream
    {
        private final ClassLoader loader;

        LoaderObjectInputStream(InputStream in, ClassLoader loader) throws IOException
        {
            super(in);
            this.loader = loader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException
        {
            try
            {
                return Class.forName(desc.getName(), false, loader);
            }
            catch (ClassNotFoundException ex)
            {
                return super.resolveClass(desc);
            }
        }
    }

    /** The class loader values are read with: the thread's context loader, else the engine's. */
    static ClassLoader loader()
    {
        final ClassLoader l = Thread.currentThread().getContextClassLoader();
        return l != null ? l : Wire.class.getClassLoader();
    }
}
