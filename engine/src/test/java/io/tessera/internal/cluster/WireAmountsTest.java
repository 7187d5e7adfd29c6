package io.tessera.internal.cluster;

import io.tessera.TesseraException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Resource tables from peers (registration, heartbeats, task specs): a null name or a NaN amount is a
 * malformed message, not an entry (the 1 M-message fuzz put a null name into a node's resources and
 * every later `status` failed sorting them).
 */
class WireAmountsTest
{
    @Test
    void shouldReadResourceTablesBack()
    {
        final byte[] b = new Wire.Out().amounts(Map.of("CPU", 2.0, "zone-a", -0.5)).toBytes();
        assertEquals(Map.of("CPU", 2.0, "zone-a", -0.5), new Wire.In(b).amounts());
    }

    @Test
    void shouldRefuseANullResourceName()
    {
        final byte[] b = new Wire.Out().i32(1).str(null).f64(1.0).toBytes();
        assertThrows(TesseraException.class, () -> new Wire.In(b).amounts());
    }

    @Test
    void shouldRefuseANonFiniteAmount()
    {
        final byte[] b = new Wire.Out().i32(1).str("CPU").f64(Double.NaN).toBytes();
        assertThrows(TesseraException.class, () -> new Wire.In(b).amounts());
        final byte[] inf = new Wire.Out().i32(1).str("CPU").f64(Double.POSITIVE_INFINITY).toBytes();
        assertThrows(TesseraException.class, () -> new Wire.In(inf).amounts());
    }
}
