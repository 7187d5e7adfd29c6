package io.tessera.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CudaDiscoveryTest
{

    @Test
    void shouldNameTheCauseAndListNoDevicesWhenUnavailable()
    {
        if (Cuda.isAvailable())
        {
            assertNull(Cuda.unavailabilityCause());
            assertFalse(Cuda.devices().isEmpty());
            assertTrue(Cuda.driverVersion() >= 12000, "driver version " + Cuda.driverVersion());
            for (int i = 0; i < Cuda.devices().size(); i++)
            {
                GpuDevice d = Cuda.devices().get(i);
                assertEquals(i, d.ordinal());
                assertTrue(d.totalMemoryBytes() > 0);
                assertTrue(d.computeMajor() >= 3);
                assertTrue(d.acceleratorResource().startsWith("accelerator:"));
            }
        }
        else
        {
            String cause = Cuda.unavailabilityCause();
            assertNotNull(cause);
            assertFalse(cause.isBlank());
            assertTrue(Cuda.devices().isEmpty());
            assertEquals(-1, Cuda.driverVersion());
            assertEquals(-1, GpuContexts.currentDevice());
            GpuContexts.unbind();
        }
    }

    @Test
    void shouldFailFastNamingTheCauseWhenUsedWithoutCuda()
    {
        if (Cuda.isAvailable())
        {
            return;
        }
        GpuException e = assertThrows(GpuException.class, () -> GpuBuffer.allocate(0, 16));
        assertTrue(e.getMessage().contains(Cuda.unavailabilityCause()), e.getMessage());
        assertThrows(GpuException.class, () -> GpuContexts.bind(0));
        assertThrows(GpuException.class, () -> Cuda.memoryInfo(0));
        try (CudaModule module = CudaModule.loadResource(Kernels.RESOURCE))
        {
            assertThrows(GpuException.class, () -> module.kernel("vectorAdd"));
        }
    }

    @Test
    void shouldProbeRepeatedlyWithoutThrowing()
    {
        Probe first = Probe.run(false);
        Probe second = Probe.run(false);
        assertEquals(first.cause() == null, second.cause() == null, first + " then " + second);
        assertEquals(first.devices(), second.devices());
    }

    @Test
    void shouldReportUnavailableWhenSwitchedOff()
    {
        Probe off = Probe.run(true);
        assertTrue(off.cause().contains(Cuda.DISABLED_PROPERTY), off.cause());
        assertTrue(off.devices().isEmpty());
    }
}
