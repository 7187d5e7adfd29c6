package io.tessera.gpu;

/** How a copy between host memory and a {@link GpuBuffer} moves the bytes. */
public enum HostCopy
{
    /**
     * One {@code cuMemcpyHtoD/DtoH} on the host segment itself. Full DMA speed when the host range is
     * page-locked (see {@link HostRegistration});
     * for pageable memory the driver stages internally.
     */
    DIRECT,
    /**
     * Through a pair of pinned staging buffers owned by Tessera: the CPU copies one chunk while the
     * DMA engine moves the other. Meant for pageable memory that is not registered.
     */
    STAGED;

    /**
     * The mode used by the copy methods without a {@code HostCopy} argument, set with
     * {@code -Dtessera.gpu.hostCopy=direct|staged} (default direct).
     *
     * @return the mode.
     * @throws IllegalArgumentException when the property names neither mode.
     */
    public static HostCopy defaultMode()
    {
        return Default.MODE;
    }

    private static final class Default
    {
        static final HostCopy MODE = parse(System.getProperty("tessera.gpu.hostCopy", "direct"));

        private static HostCopy parse(String value)
        {
            return switch (value.strip().toLowerCase(java.util.Locale.ROOT))
            {
                case "direct" -> DIRECT;
                case "staged" -> STAGED;
                default -> throw new IllegalArgumentException(
                        "-Dtessera.gpu.hostCopy=" + value + " is not one of direct, staged");
            };
        }
    }
}
