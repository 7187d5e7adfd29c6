package io.tessera.gpu;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;

/**
 * A PTX, cubin or fatbin image, loaded into a device's primary context on first use there
 * ({@code cuModuleLoadData}; the driver JIT-compiles PTX for the device). {@link #close()} unloads it
 * from every device.
 */
public final class CudaModule implements AutoCloseable
{
    private final String origin;
    private final byte[] image;
    private final AtomicReferenceArray<CUmodule> loaded = new AtomicReferenceArray<>(64);
    private final ConcurrentHashMap<String, Kernel> kernels = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private CudaModule(String origin, byte[] image)
    {
        this.origin = origin;
        this.image = image;
    }

    /**
     * Reads an image from the class path (the thread's context class loader first, then this library's).
     *
     * @param classpathResource the resource, e.g. {@code "io/tessera/gpu/kernels/tessera_kernels.ptx"}; a leading
     *        {@code /} is ignored.
     * @return the module, not yet loaded on any device.
     * @throws IllegalArgumentException when there is no such resource.
     */
    public static CudaModule loadResource(String classpathResource)
    {
        String name = classpathResource.startsWith("/") ? classpathResource.substring(1) : classpathResource;
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        InputStream in = loader == null ? null : loader.getResourceAsStream(name);
        if (in == null)
        {
            in = CudaModule.class.getClassLoader().getResourceAsStream(name);
        }
        if (in == null)
        {
            throw new IllegalArgumentException("no class-path resource " + classpathResource);
        }
        try (InputStream stream = in)
        {
            return new CudaModule("resource " + name, terminate(stream.readAllBytes()));
        }
        catch (IOException e)
        {
            throw new UncheckedIOException("reading resource " + name, e);
        }
    }

    /**
     * Reads an image from a PTX, cubin or fatbin file.
     *
     * @param ptxOrCubin the file.
     * @return the module, not yet loaded on any device.
     * @throws IllegalArgumentException when the file does not exist.
     */
    public static CudaModule loadFile(Path ptxOrCubin)
    {
        if (!Files.isRegularFile(ptxOrCubin))
        {
            throw new IllegalArgumentException("no CUDA module file " + ptxOrCubin);
        }
        try
        {
            return new CudaModule("file " + ptxOrCubin, terminate(Files.readAllBytes(ptxOrCubin)));
        }
        catch (IOException e)
        {
            throw new UncheckedIOException("reading " + ptxOrCubin, e);
        }
    }

    /**
     * The kernel {@code name} (its unmangled, {@code extern "C"} name). Resolved at once on the calling
     * thread's bound device, or device 0, so a wrong name fails here with {@code CUDA_ERROR_NOT_FOUND}.
     *
     * @param name the kernel's symbol name.
     * @return the kernel, cached: the same instance for the same name.
     * @throws GpuException when the module has no such kernel or cannot be loaded on the device.
     */
    public Kernel kernel(String name)
    {
        requireOpen();
        Kernel kernel = kernels.get(name);
        if (kernel == null)
        {
            Kernel fresh = new Kernel(this, name);
            int device = Math.max(GpuContexts.currentDevice(), 0);
            fresh.function(device);
            kernel = kernels.computeIfAbsent(name, n -> fresh);
        }
        return kernel;
    }

    String origin()
    {
        return origin;
    }

    /** The module as loaded on {@code device}, loading it there first if needed; call with that context current. */
    CUmodule module(int device)
    {
        requireOpen();
        CUmodule module = loaded.get(device);
        if (module == null)
        {
            CUmodule fresh = new CUmodule();
            Driver.check(JCudaDriver.cuModuleLoadData(fresh, image), "cuModuleLoadData(" + origin + ", device " + device + ")");
            if (!loaded.compareAndSet(device, null, fresh))
            {
                JCudaDriver.cuModuleUnload(fresh);
            }
            module = loaded.get(device);
        }
        return module;
    }

    void requireOpen()
    {
        if (closed.get())
        {
            throw new IllegalStateException("CUDA module from " + origin + " is closed");
        }
    }

    /** Unloads the module from every device it was loaded on; idempotent. */
    @Override
    public void close()
    {
        if (closed.compareAndSet(false, true))
        {
            for (int device = 0; device < loaded.length(); device++)
            {
                CUmodule module = loaded.getAndSet(device, null);
                if (module != null)
                {
                    boolean pushed = Contexts.enter(device);
                    try
                    {
                        Driver.check(JCudaDriver.cuModuleUnload(module), "cuModuleUnload(" + origin + ")");
                    }
                    finally
                    {
                        Contexts.exit(pushed);
                    }
                }
            }
        }
    }

    /** PTX is text and must end with NUL for cuModuleLoadData; ELF (cubin) and fatbin images are left alone. */
    private static byte[] terminate(byte[] image)
    {
        boolean elf = image.length >= 4 && image[0] == 0x7f && image[1] == 'E' && image[2] == 'L' && image[3] == 'F';
        boolean fatbin = image.length >= 4 && (image[0] & 0xff) == 0x50 && (image[1] & 0xff) == 0xed
                && (image[2] & 0xff) == 0x55 && (image[3] & 0xff) == 0xba;
        if (elf || fatbin || (image.length > 0 && image[image.length - 1] == 0))
        {
            return image;
        }
        return Arrays.copyOf(image, image.length + 1);
    }
}
