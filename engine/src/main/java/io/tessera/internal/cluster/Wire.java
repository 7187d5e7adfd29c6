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
 * a {@link DataOutputStream} body, with Java serialization for user functions, arguments, values
 * and exceptions, resolved through the job's class loader. Control messages are not the object
 * data path: objects move store to store through the transport's pulls.
 */
final class Wire {
    private Wire() {
    }

    /** A growable message body. */
    static final class Out {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        private final DataOutputStream out = new DataOutputStream(bytes);

        Out str(String s) {
            try {
                out.writeBoolean(s != null);
                if (s != null) {
                    out.writeUTF(s);
                }
                return this;
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }

        Out i32(int v) {
            try {
                out.writeInt(v);
                return this;
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }

        Out i64(long v) {
            try {
                out.writeLong(v);
                return this;
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }

        Out f64(double v) {
            try {
                out.writeDouble(v);
                return this;
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }

        Out bool(boolean v) {
            try {
                out.writeBoolean(v);
                return this;
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }

        Out bytes(byte[] b) {
            try {
                out.writeInt(b.length);
                out.write(b);
                return this;
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }

        Out amounts(Map<String, Double> m) {
            i32(m.size());
            m.forEach((k, v) -> str(k).f64(v));
            return this;
        }

        byte[] toBytes() {
            return bytes.toByteArray();
        }
    }

    /** A message body being read; every read checks bounds and fails with a clear error. */
    static final class In {
        private final DataInputStream in;

        In(byte[] b) {
            in = new DataInputStream(new ByteArrayInputStream(b));
        }

        In(MemorySegment s) {
            this(s.toArray(ValueLayout.JAVA_BYTE));
        }

        String str() {
            try {
                return in.readBoolean() ? in.readUTF() : null;
            } catch (IOException ex) {
                throw malformed(ex);
            }
        }

        int i32() {
            try {
                return in.readInt();
            } catch (IOException ex) {
                throw malformed(ex);
            }
        }

        long i64() {
            try {
                return in.readLong();
            } catch (IOException ex) {
                throw malformed(ex);
            }
        }

        double f64() {
            try {
                return in.readDouble();
            } catch (IOException ex) {
                throw malformed(ex);
            }
        }

        boolean bool() {
            try {
                return in.readBoolean();
            } catch (IOException ex) {
                throw malformed(ex);
            }
        }

        byte[] bytes() {
            try {
                final int n = in.readInt();
                if (n < 0 || n > in.available()) {
                    throw new IOException("length " + n + " exceeds the " + in.available() + " bytes left");
                }
                return in.readNBytes(n);
            } catch (IOException ex) {
                throw malformed(ex);
            }
        }

        Map<String, Double> amounts() {
            final int n = i32();
            if (n < 0 || n > 10_000) {
                throw malformed(new IOException("implausible map size " + n));
            }
            final Map<String, Double> m = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                m.put(str(), f64());
            }
            return m;
        }

        private static TesseraException malformed(IOException ex) {
            return new TesseraException("malformed control message: " + ex.getMessage(), ex);
        }
    }

    /** Java-serializes a function, argument, value or exception. */
    static byte[] serialize(Object o) {
        final ByteArrayOutputStream b = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new ObjectOutputStream(b)) {
            out.writeObject(o);
        } catch (IOException ex) {
            throw new IllegalArgumentException("cannot serialize a " + (o == null ? "null" : o.getClass().getName())
                + " for another node: " + ex, ex);
        }
        return b.toByteArray();
    }

    /** Reads what {@link #serialize} wrote, resolving classes through {@code loader}. */
    static Object deserialize(byte[] bytes, ClassLoader loader) {
        try (ObjectInputStream in = new LoaderObjectInputStream(new ByteArrayInputStream(bytes), loader)) {
            return in.readObject();
        } catch (IOException | ClassNotFoundException ex) {
            throw new TesseraException("cannot deserialize a value from another node: " + ex, ex);
        }
    }

    private static final class LoaderObjectInputStream extends ObjectInputStream {
        private final ClassLoader loader;

        LoaderObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
            super(in);
            this.loader = loader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            try {
                return Class.forName(desc.getName(), false, loader);
            } catch (ClassNotFoundException ex) {
                return super.resolveClass(desc);
            }
        }
    }
}
