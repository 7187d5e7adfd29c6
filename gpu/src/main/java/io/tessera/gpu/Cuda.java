package io.tessera.gpu;

import java.util.List;
import jcuda.driver.JCudaDriver;

/**
 * Entry point of the CUDA capability: probed once, lazily and thread-safely, on first use.
 * <p>Without a GPU, a driver or JCuda's natives, {@link #isAvailable()} is {@code false},
 * {@link #devices()} is empty and {@link #unavailabilityCause()} says why; nothing is thrown.
 * Setting {@code -Dtessera.gpu.disabled=true} switches CUDA off before the probe.
 */
public final class Cuda
{
    /** The off switch: {@code -Dtessera.gpu.disabled=true} makes the probe report CUDA unavailable. */
    public static final String DISABLED_PROPERTY = "tessera.gpu.disabled";

    private Cuda()
    {
    }

    private static final class Holder
    {
        static final Probe PROBE = Probe.run(Boolean.getBoolean(DISABLED_PROPERTY));
    }

    /**
     * Whether CUDA can be used here: a driver, at least one device and JCuda's natives were found (and
     * {@value #DISABLED_PROPERTY} is not set). The first call runs the probe.
     *
     * @return true when CUDA is usable; {@link #unavailabilityCause()} says why not otherwise.
     */
    public static boolean isAvailable()
    {
        return Holder.PROBE.cause() == null;
    }

    /**
     * Why CUDA is unavailable, e.g. "libcuda.so.1 not found (no NVIDIA driver): …".
     *
     * @return the cause in one sentence, or {@code null} when CUDA is available.
     */
    public static String unavailabilityCause()
    {
        return Holder.PROBE.cause();
    }

    /**
     * The devices the probe found, in driver ordinal order.
     *
     * @return the devices (unmodifiable); empty without a GPU or driver.
     */
    public static List<GpuDevice> devices()
    {
        return Holder.PROBE.devices();
    }

    /**
     * The CUDA version the installed driver supports.
     *
     * @return {@code 1000 * major + 10 * minor} (12060 = 12.6), or -1 when CUDA is unavailable.
     */
    public static int driverVersion()
    {
        return Holder.PROBE.driverVersion();
    }

    /**
     * Free and total memory of a device, as the driver reports them now (other processes' use included).
     *
     * @param ordinal the device's driver ordinal, as in {@link GpuDevice#ordinal()}.
     * @return {@code {free, total}} in bytes.
     * @throws GpuException when CUDA is unavailable or the driver call fails.
     */
    public static long[] memoryInfo(int ordinal)
    {
        long[] free = {0};
        long[] total = {0};
        boolean pushed = Contexts.enter(ordinal);
        try
        {
            Driver.check(JCudaDriver.cuMemGetInfo(free, total), "cuMemGetInfo(device " + ordinal + ")");
        }
        finally
        {
            Contexts.exit(pushed);
        }
        return new long[] {free[0], total[0]};
    }

    /**
     * Device {@code ordinal}'s PCI bus id as CUDA writes it ({@code domain:bus:device.function}), the key that names
     * the same device in NVML and {@code nvidia-smi} whatever the ordinals' order.
     *
     * @param ordinal the device's ordinal
     * @return its PCI bus id, e.g. {@code 0000:19:00.0}
     * @throws GpuException when CUDA is unavailable or {@code ordinal} is no device
     */
    public static String pciBusId(int ordinal)
    {
        requireDevice(ordinal);
        final jcuda.driver.CUdevice device = new jcuda.driver.CUdevice();
        Driver.check(JCudaDriver.cuDeviceGet(device, ordinal), "cuDeviceGet(" + ordinal + ")");
        final String[] id = new String[1];
        Driver.check(JCudaDriver.cuDeviceGetPCIBusId(id, Nvml.pciBusIdBytes(), device), "cuDeviceGetPCIBusId(" + ordinal + ")");
        return id[0].trim();
    }

    /** Throws {@link GpuException} naming the cause unless CUDA is available and {@code ordinal} is a device. */
    static void requireDevice(int ordinal)
    {
        if (!isAvailable())
        {
            throw new GpuException("CUDA is unavailable: " + unavailabilityCause(), null);
        }
        int count = devices().size();
        if (ordinal < 0 || ordinal >= count)
        {
            throw new IllegalArgumentException("no CUDA device " + ordinal + "; valid ordinals are 0.." + (count - 1));
        }
    }
}
