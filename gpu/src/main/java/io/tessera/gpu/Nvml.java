package io.tessera.gpu;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * GPU utilisation from NVML ({@code libnvidia-ml.so.1}, installed with the NVIDIA driver) through the Foreign
 * Function API: the CUDA driver API reports a device's memory but not how busy it is. A device is found by its
 * PCI bus id (as CUDA names it), so CUDA's ordinals and NVML's indices may differ ({@code CUDA_DEVICE_ORDER}).
 * <p>Loaded and initialised once, on first use; without the library {@link #isAvailable()} is false and
 * {@link #unavailabilityCause()} says why, nothing is thrown.
 */
public final class Nvml
{
    private static final int NVML_SUCCESS = 0;
    private static final int PCI_BUS_ID_BYTES = 32;

    private Nvml()
    {
    }

    private static final class Holder
    {
        static final Holder LIB = new Holder();

        final MethodHandle byPciBusId;
        final MethodHandle utilizationRates;
        final String cause;

        private Holder()
        {
            MethodHandle byPci = null;
            MethodHandle rates = null;
            String why = null;
            try
            {
                final SymbolLookup lib = SymbolLookup.libraryLookup("libnvidia-ml.so.1", Arena.global());
                final Linker linker = Linker.nativeLinker();
                final MethodHandle init = linker.downcallHandle(lib.findOrThrow("nvmlInit_v2"), FunctionDescriptor.of(JAVA_INT));
                byPci = linker.downcallHandle(lib.findOrThrow("nvmlDeviceGetHandleByPciBusId_v2"),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
                rates = linker.downcallHandle(lib.findOrThrow("nvmlDeviceGetUtilizationRates"),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
                final int rc = (int) init.invokeExact();
                if (rc != NVML_SUCCESS)
                {
                    why = "nvmlInit_v2 failed with NVML error " + rc;
                }
            }
            catch (IllegalArgumentException | java.util.NoSuchElementException notThere)
            {
                why = "libnvidia-ml.so.1 not found (no NVIDIA driver): " + notThere.getMessage();
            }
            catch (Throwable failed)
            {
                why = "NVML cannot be used: " + failed;
            }
            this.byPciBusId = byPci;
            this.utilizationRates = rates;
            this.cause = why;
        }
    }

    /**
     * Whether NVML was found and initialised here.
     *
     * @return true when {@link #utilization(int)} can answer
     */
    public static boolean isAvailable()
    {
        return Holder.LIB.cause == null;
    }

    /**
     * Why NVML cannot be used, in one sentence.
     *
     * @return the cause, or null when it can
     */
    public static String unavailabilityCause()
    {
        return Holder.LIB.cause;
    }

    /**
     * How busy CUDA device {@code ordinal} was over NVML's last sample period (1/6 s to 1 s, by device).
     *
     * @param ordinal a CUDA device ordinal
     * @return {percent of time a kernel ran, percent of time device memory was read or written}, each 0–100
     * @throws GpuException when NVML or CUDA is unavailable, the ordinal is no device or NVML fails
     */
    public static int[] utilization(int ordinal)
    {
        final Holder lib = Holder.LIB;
        if (lib.cause != null)
        {
            throw new GpuException("NVML is unavailable: " + lib.cause, null);
        }
        final String busId = Cuda.pciBusId(ordinal);
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment device = arena.allocate(ADDRESS);
            final int found = (int) lib.byPciBusId.invokeExact(arena.allocateFrom(busId), device);
            check(found, "nvmlDeviceGetHandleByPciBusId_v2(" + busId + ")");
            final MemorySegment rates = arena.allocate(JAVA_INT, 2);
            final int read = (int) lib.utilizationRates.invokeExact(device.get(ADDRESS, 0), rates);
            check(read, "nvmlDeviceGetUtilizationRates(device " + ordinal + ")");
            return new int[] {rates.getAtIndex(JAVA_INT, 0), rates.getAtIndex(JAVA_INT, 1)};
        }
        catch (GpuException ex)
        {
            throw ex;
        }
        catch (Throwable ex)
        {
            throw new GpuException("NVML call failed for device " + ordinal + ": " + ex, null);
        }
    }

    private static void check(int rc, String call)
    {
        if (rc != NVML_SUCCESS)
        {
            throw new GpuException(call + " failed with NVML error " + rc, null);
        }
    }

    static int pciBusIdBytes()
    {
        return PCI_BUS_ID_BYTES;
    }
}
