package io.tessera.gpu;

import java.util.Locale;
import java.util.Set;

/**
 * One CUDA device as discovered at start: driver ordinal, marketing name, total memory and compute
 * capability.
 *
 * @param ordinal          the driver's ordinal (0, 1, ...), what {@link GpuBuffer#allocate} and
 *                         {@link GpuContexts#bind} take.
 * @param name             the name the driver reports, e.g. "NVIDIA H100 80GB HBM3".
 * @param totalMemoryBytes the device's total memory.
 * @param computeMajor     the compute capability's major version (9 for an H100).
 * @param computeMinor     the compute capability's minor version.
 */
public record GpuDevice(int ordinal, String name, long totalMemoryBytes, int computeMajor, int computeMinor)
{
    private static final Set<String> BRAND_WORDS = Set.of("NVIDIA", "TESLA", "GEFORCE", "QUADRO");
    private static final Set<String> SERIES_WORDS = Set.of("RTX", "GTX", "TITAN");

    /**
     * The custom scheduling resource naming this device's model: {@code "accelerator:" + model}.
     * <p>Rule for the model: split {@link #name()} on spaces and '-', skip the leading vendor and brand
     * words (NVIDIA, Tesla, GeForce, Quadro), take the next word, joined with the word after it when it
     * is a series word (RTX, GTX, TITAN); upper-case it and keep only letters and digits. So
     * "NVIDIA H100 80GB HBM3" → {@code accelerator:H100}, "NVIDIA A100-SXM4-40GB" → {@code A100},
     * "Tesla V100-SXM2-16GB" → {@code V100}, "NVIDIA GeForce RTX 4090" → {@code RTX4090},
     * "NVIDIA RTX A6000" → {@code RTXA6000}; a name with nothing left gives {@code UNKNOWN}.
     *
     * @return the resource name, e.g. {@code accelerator:H100}.
     */
    public String acceleratorResource()
    {
        return "accelerator:" + modelOf(name);
    }

    static String modelOf(String deviceName)
    {
        String[] words = deviceName == null ? new String[0] : deviceName.trim().split("[\\s-]+");
        int i = 0;
        while (i < words.length && (words[i].isEmpty() || BRAND_WORDS.contains(words[i].toUpperCase(Locale.ROOT))))
        {
            i++;
        }
        if (i == words.length)
        {
            return "UNKNOWN";
        }
        String model = words[i].toUpperCase(Locale.ROOT);
        if (SERIES_WORDS.contains(model) && i + 1 < words.length)
        {
            model += words[i + 1].toUpperCase(Locale.ROOT);
        }
        String clean = model.replaceAll("[^A-Z0-9]", "");
        return clean.isEmpty() ? "UNKNOWN" : clean;
    }
}
