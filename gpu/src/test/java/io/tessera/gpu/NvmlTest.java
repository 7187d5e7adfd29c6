package io.tessera.gpu;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** NVML's utilisation through FFM: read for real where the driver is installed, a clear refusal where it is not. */
class NvmlTest
{
    @Test
    void shouldSayWhyWhenNvmlIsMissing()
    {
        Assumptions.assumeFalse(Nvml.isAvailable(), "NVML is installed here");
        assertNotNull(Nvml.unavailabilityCause());
        final GpuException ex = assertThrows(GpuException.class, () -> Nvml.utilization(0));
        assertTrue(ex.getMessage().startsWith("NVML is unavailable: "), ex.getMessage());
    }

    @Test
    void shouldReadEachDevicesUtilisationByItsPciBusId()
    {
        Assumptions.assumeTrue(Cuda.isAvailable(), Cuda.unavailabilityCause());
        Assumptions.assumeTrue(Nvml.isAvailable(), Nvml.unavailabilityCause());
        for (GpuDevice d : Cuda.devices())
        {
            final String busId = Cuda.pciBusId(d.ordinal());
            assertTrue(busId.matches("[0-9A-Fa-f]{4,8}:[0-9A-Fa-f]{2}:[0-9A-Fa-f]{2}\\.[0-9A-Fa-f]"), busId);
            final int[] busy = Nvml.utilization(d.ordinal());
            assertEquals(2, busy.length);
            assertTrue(busy[0] >= 0 && busy[0] <= 100, "kernel busy % " + busy[0]);
            assertTrue(busy[1] >= 0 && busy[1] <= 100, "memory busy % " + busy[1]);
        }
        final int none = Cuda.devices().size();
        assertThrows(GpuException.class, () -> Nvml.utilization(none), "no device " + none);
    }
}
