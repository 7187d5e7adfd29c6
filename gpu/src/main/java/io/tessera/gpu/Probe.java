package io.tessera.gpu;

import java.util.ArrayList;
import java.util.List;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

/** The one-time CUDA probe: loads JCuda's driver binding, runs cuInit and lists the devices. */
record Probe(String cause, List<GpuDevice> devices, int driverVersion)
{

    static Probe run(boolean disabled)
    {
        if (disabled)
        {
            return unavailable("disabled by -D" + Cuda.DISABLED_PROPERTY + "=true");
        }
        if (!jcudaPresent())
        {
            return unavailable("JCuda is not on the class path (add org.jcuda:jcuda to use GPUs; tessera-gpu declares it optional)");
        }
        try
        {
            int rc = JCudaDriver.cuInit(0);
            if (rc != CUresult.CUDA_SUCCESS)
            {
                return unavailable("cuInit failed: " + CUresult.stringFor(rc)
                        + (rc == CUresult.CUDA_ERROR_NO_DEVICE ? " (no CUDA device visible)" : ""));
            }
            int[] version = {0};
            Driver.check(JCudaDriver.cuDriverGetVersion(version), "cuDriverGetVersion");
            int[] count = {0};
            Driver.check(JCudaDriver.cuDeviceGetCount(count), "cuDeviceGetCount");
            if (count[0] == 0)
            {
                return unavailable("no CUDA device (cuDeviceGetCount = 0)");
            }
            List<GpuDevice> devices = new ArrayList<>(count[0]);
            for (int ordinal = 0; ordinal < count[0]; ordinal++)
            {
                devices.add(describe(ordinal));
            }
            return new Probe(null, List.copyOf(devices), version[0]);
        }
        catch (UnsatisfiedLinkError e)
        {
            return unavailable(linkCause(e));
        }
        catch (NoClassDefFoundError e)
        {
            return unavailable("JCuda's driver binding failed to initialise earlier in this JVM: " + firstLine(e));
        }
        catch (LinkageError | RuntimeException e)
        {
            return unavailable("CUDA probe failed: " + e.getClass().getSimpleName() + ": " + firstLine(e));
        }
    }

    private static GpuDevice describe(int ordinal)
    {
        CUdevice device = new CUdevice();
        Driver.check(JCudaDriver.cuDeviceGet(device, ordinal), "cuDeviceGet(" + ordinal + ")");
        byte[] name = new byte[256];
        Driver.check(JCudaDriver.cuDeviceGetName(name, name.length, device), "cuDeviceGetName(" + ordinal + ")");
        int len = 0;
        while (len < name.length && name[len] != 0)
        {
            len++;
        }
        long[] total = {0};
        Driver.check(JCudaDriver.cuDeviceTotalMem(total, device), "cuDeviceTotalMem(" + ordinal + ")");
        int[] major = {0};
        int[] minor = {0};
        Driver.check(JCudaDriver.cuDeviceGetAttribute(major,
                CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device), "cuDeviceGetAttribute");
        Driver.check(JCudaDriver.cuDeviceGetAttribute(minor,
                CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device), "cuDeviceGetAttribute");
        return new GpuDevice(ordinal, new String(name, 0, len, java.nio.charset.StandardCharsets.US_ASCII),
                total[0], major[0], minor[0]);
    }

    /** Whether JCuda's driver binding is on the class path at all, without initialising it. */
    private static boolean jcudaPresent()
    {
        try
        {
            Class.forName("jcuda.driver.JCudaDriver", false, Probe.class.getClassLoader());
            return true;
        }
        catch (ClassNotFoundException e)
        {
            return false;
        }
    }

    private static String linkCause(UnsatisfiedLinkError e)
    {
        String message = String.valueOf(e.getMessage());
        if (message.contains("libcuda.so"))
        {
            return "libcuda.so.1 not found (no NVIDIA driver): " + firstLine(e);
        }
        return "JCuda's driver binding could not be loaded: " + firstLine(e);
    }

    private static String firstLine(Throwable e)
    {
        String message = String.valueOf(e.getMessage()).strip();
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl).strip();
    }

    private static Probe unavailable(String cause)
    {
        return new Probe(cause, List.of(), -1);
    }
}
