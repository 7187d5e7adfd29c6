package io.tessera.scheduler;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResourceRequestTest
{
    private static final Map<String, Double> NODE = Map.of("CPU", 2.0, "GPU", 1.0, "memory", 1024.0, "disk", 1.0);

    @Test
    void shouldFitWithinATableThatHasEveryAmount()
    {
        final ResourceRequest r = ResourceRequest.builder().cpus(2).gpus(0.5).memoryBytes(1024).resource("disk", 1).build();
        assertTrue(r.fitsWithin(NODE));
        assertNull(r.shortfall(NODE));
        assertTrue(ResourceRequest.builder().cpus(2.0 + 1e-12).build().fitsWithin(NODE), "fractions compare with a tolerance");
        assertTrue(ResourceRequest.NONE.fitsWithin(Map.of()), "nothing requested fits an empty table");
    }

    @Test
    void shouldNameTheFirstResourceShort()
    {
        assertShort("CPU: requested 3.0, node has 2.0", ResourceRequest.builder().cpus(3).gpus(2).build());
        assertShort("GPU: requested 2.0, node has 1.0", ResourceRequest.builder().gpus(2).memoryBytes(4096).build());
        assertShort("memory: requested 1025 bytes, node has 1024 bytes", ResourceRequest.builder().memoryBytes(1025).build());
        assertShort("custom resource 'disk': requested 2.0, node has 1.0", ResourceRequest.builder().resource("disk", 2).build());
        assertShort("custom resource 'tpu': requested 1.0, node has none", ResourceRequest.builder().resource("tpu", 1).build());
        assertEquals("CPU: requested 3.0, the largest node has 0.0",
            ResourceRequest.builder().cpus(3).build().shortfall(Map.of(), "the largest node"));
    }

    private static void assertShort(final String expected, final ResourceRequest r)
    {
        assertFalse(r.fitsWithin(NODE));
        assertEquals(expected, r.shortfall(NODE));
    }
}
