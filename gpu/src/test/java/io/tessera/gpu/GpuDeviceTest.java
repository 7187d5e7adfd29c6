package io.tessera.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GpuDeviceTest
{

    private static String resource(String name)
    {
        return new GpuDevice(0, name, 1, 9, 0).acceleratorResource();
    }

    @Test
    void shouldNormaliseModelNamesToAcceleratorResources()
    {
        assertEquals("accelerator:H100", resource("NVIDIA H100 80GB HBM3"));
        assertEquals("accelerator:H200", resource("NVIDIA H200"));
        assertEquals("accelerator:A100", resource("NVIDIA A100-SXM4-40GB"));
        assertEquals("accelerator:V100", resource("Tesla V100-SXM2-16GB"));
        assertEquals("accelerator:RTX4090", resource("NVIDIA GeForce RTX 4090"));
        assertEquals("accelerator:RTXA6000", resource("NVIDIA RTX A6000"));
        assertEquals("accelerator:L4", resource("NVIDIA L4"));
        assertEquals("accelerator:GH200", resource("NVIDIA GH200 480GB"));
        assertEquals("accelerator:UNKNOWN", resource("NVIDIA"));
        assertEquals("accelerator:UNKNOWN", resource(""));
    }

    @Test
    void shouldRejectEmptyDimensions()
    {
        assertEquals(new Dim3(4, 1, 1), Dim3.of(4));
        assertEquals(12, Dim3.of(2, 3, 2).volume());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dim3.of(0));
        assertTrue(e.getMessage().contains("(0, 1, 1)"), e.getMessage());
    }

    @Test
    void shouldShipPtxThatCuda12DriversAccept() throws IOException
    {
        String ptx;
        try (InputStream in = GpuDeviceTest.class.getClassLoader().getResourceAsStream(Kernels.RESOURCE))
        {
            ptx = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        assertTrue(ptx.contains("\n.version 8.0\n"), "PTX ISA must stay 8.0 for CUDA 12.0+ drivers");
        assertTrue(ptx.contains(".target sm_80"));
        for (String kernel : new String[] {"vectorAdd", "saxpy", "matmul"})
        {
            assertTrue(ptx.contains(".visible .entry " + kernel + "("), kernel);
        }
    }

    @Test
    void shouldRefuseMissingModules()
    {
        assertThrows(IllegalArgumentException.class, () -> CudaModule.loadResource("no/such/kernels.ptx"));
        assertThrows(IllegalArgumentException.class, () -> CudaModule.loadFile(java.nio.file.Path.of("/no/such.ptx")));
    }
}
