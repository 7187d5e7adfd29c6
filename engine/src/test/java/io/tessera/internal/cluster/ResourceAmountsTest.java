package io.tessera.internal.cluster;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ResourceAmountsTest
{
    @Test
    void shouldPrintBuiltInsFirstThenCustomResourcesByNameInHumanUnits()
    {
        final Map<String, Double> m = new HashMap<>();
        m.put("special", 2.0);
        m.put("memory", 17_693_250_355.0);
        m.put("alpha", 0.5);
        m.put("GPU", 0.0);
        m.put("CPU", 4.0);
        assertEquals("{CPU=4, GPU=0, memory=16.5 GiB, alpha=0.5, special=2}", ResourceAmounts.format(m));
    }

    @Test
    void shouldPrintSmallMemoryAndFractionsReadably()
    {
        assertEquals("512 MiB", ResourceAmounts.bytes(512.0 * 1024 * 1024));
        assertEquals("100 B", ResourceAmounts.bytes(100));
        assertEquals("0.25", ResourceAmounts.number(0.25));
        assertEquals("{}", ResourceAmounts.format(null));
    }
}
