package io.tessera.internal.cluster;

import io.tessera.TesseraException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The control-message encoding writes what {@link DataOutputStream} writes (big-endian fields, strings in its
 * modified UTF-8 behind a 16-bit length), so nodes of either encoder read each other; a truncated or lying
 * body is a clear error.
 */
class WireFormatTest
{
    private static final String[] STRINGS = {"", "plain ascii 0123", "zürich", "日本語", "nul\u0000inside", "emoji \uD83D\uDE00"};

    @Test
    void shouldWriteWhatDataOutputStreamWrites() throws IOException
    {
        final ByteArrayOutputStream expected = new ByteArrayOutputStream();
        final DataOutputStream d = new DataOutputStream(expected);
        final Wire.Out out = new Wire.Out();
        d.writeInt(-7);
        out.i32(-7);
        d.writeLong(Long.MIN_VALUE + 3);
        out.i64(Long.MIN_VALUE + 3);
        d.writeDouble(2.5);
        out.f64(2.5);
        d.writeBoolean(true);
        out.bool(true);
        d.writeBoolean(false);
        out.str(null);
        for (String s : STRINGS)
        {
            d.writeBoolean(true);
            d.writeUTF(s);
            out.str(s);
        }
        d.writeInt(3);
        d.write(new byte[] {1, 2, 3});
        out.bytes(new byte[] {1, 2, 3});
        assertArrayEquals(expected.toByteArray(), out.toBytes());
    }

    @Test
    void shouldReadBackEveryField()
    {
        final Wire.Out out = new Wire.Out().i32(42).i64(-1L).f64(-0.25).bool(true).str(null);
        for (String s : STRINGS)
        {
            out.str(s);
        }
        final byte[] big = new byte[1_000];
        big[999] = 9;
        out.bytes(big);
        final Wire.In in = new Wire.In(out.toBytes());
        assertEquals(42, in.i32());
        assertEquals(-1L, in.i64());
        assertEquals(-0.25, in.f64());
        assertTrue(in.bool());
        assertNull(in.str());
        for (String s : STRINGS)
        {
            assertEquals(s, in.str());
        }
        assertArrayEquals(big, in.bytes());
        assertThrows(TesseraException.class, in::i32, "reading past the end");
    }

    @Test
    void shouldRefuseTruncatedAndLyingBodies()
    {
        final byte[] str = new Wire.Out().str("hello").toBytes();
        assertThrows(TesseraException.class, () -> new Wire.In(java.util.Arrays.copyOf(str, str.length - 1)).str());
        final byte[] lying = new Wire.Out().i32(1_000).toBytes();
        assertThrows(TesseraException.class, () -> new Wire.In(lying).bytes());
        assertThrows(TesseraException.class, () -> new Wire.In(lying).count());
        assertThrows(TesseraException.class, () -> new Wire.In(new byte[3]).i32());
        final String tooLong = "é".repeat(40_000);
        assertThrows(RuntimeException.class, () -> new Wire.Out().str(tooLong));
    }
}
