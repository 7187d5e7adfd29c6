package io.tessera.gpu;

import java.util.concurrent.atomic.AtomicReferenceArray;
import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUfunction;
import jcuda.driver.JCudaDriver;

/**
 * A kernel of a {@link CudaModule}. {@link #launch} queues it on the default stream of the calling
 * thread's bound device, or, on an unbound thread, of the device its first {@link GpuBuffer} argument
 * lives on (device 0 without one). It returns without waiting; a later copy, or
 * {@link GpuContexts#synchronize(int)}, waits for it.
 */
public final class Kernel
{
    private final CudaModule module;
    private final String name;
    private final AtomicReferenceArray<CUfunction> functions = new AtomicReferenceArray<>(64);

    Kernel(CudaModule module, String name)
    {
        this.module = module;
        this.name = name;
    }

    /**
     * The kernel's symbol name in its module.
     *
     * @return the name given to {@link CudaModule#kernel(String)}.
     */
    public String name()
    {
        return name;
    }

    /**
     * Launches with typed arguments, in the kernel's parameter order: {@link GpuBuffer} (passed as its
     * device pointer; it must live on the launch device), {@code Integer}, {@code Long}, {@code Float} or
     * {@code Double}. Any other type throws {@link IllegalArgumentException} naming the position and type.
     *
     * @param grid           blocks per grid.
     * @param block          threads per block.
     * @param sharedMemBytes dynamic shared memory per block, 0 when the kernel declares none.
     * @param args           the kernel's arguments, in its parameter order.
     * @throws GpuException when the driver refuses the launch (e.g. too many threads per block).
     */
    public void launch(Dim3 grid, Dim3 block, int sharedMemBytes, Object... args)
    {
        if (sharedMemBytes < 0)
        {
            throw new IllegalArgumentException("sharedMemBytes must be >= 0, got " + sharedMemBytes);
        }
        int device = GpuContexts.currentDevice();
        if (device < 0)
        {
            device = 0;
            for (Object arg : args)
            {
                if (arg instanceof GpuBuffer buffer)
                {
                    device = buffer.device();
                    break;
                }
            }
        }
        NativePointerObject[] params = new NativePointerObject[args.length];
        for (int i = 0; i < args.length; i++)
        {
            params[i] = param(i, args[i], device);
        }
        boolean pushed = Contexts.enter(device);
        try
        {
            Driver.check(JCudaDriver.cuLaunchKernel(function(device), grid.x(), grid.y(), grid.z(),
                    block.x(), block.y(), block.z(), sharedMemBytes, null, Pointer.to(params), null),
                    "cuLaunchKernel(" + name + ", grid " + grid + ", block " + block + ")");
        }
        finally
        {
            Contexts.exit(pushed);
        }
    }

    private Pointer param(int position, Object arg, int device)
    {
        return switch (arg)
        {
            case GpuBuffer buffer ->
            {
                if (buffer.device() != device)
                {
                    throw new IllegalArgumentException("argument " + position + " of kernel " + name + " lives on device "
                            + buffer.device() + " but the launch is on device " + device);
                }
                yield Pointer.to(buffer.pointer());
            }
            case Integer v -> Pointer.to(new int[] {v});
            case Long v -> Pointer.to(new long[] {v});
            case Float v -> Pointer.to(new float[] {v});
            case Double v -> Pointer.to(new double[] {v});
            case null -> throw new IllegalArgumentException("argument " + position + " of kernel " + name + " is null");
            default -> throw new IllegalArgumentException("argument " + position + " of kernel " + name + " is a "
                    + arg.getClass().getName() + "; kernel arguments must be GpuBuffer, int, long, float or double");
        };
    }

    /** This kernel's function on {@code device}, resolving it there first if needed. */
    CUfunction function(int device)
    {
        CUfunction function = functions.get(device);
        if (function == null)
        {
            boolean pushed = Contexts.enter(device);
            try
            {
                CUfunction fresh = new CUfunction();
                Driver.check(JCudaDriver.cuModuleGetFunction(fresh, module.module(device), name),
                        "cuModuleGetFunction(" + name + " in " + module.origin() + ")");
                functions.compareAndSet(device, null, fresh);
                function = functions.get(device);
            }
            finally
            {
                Contexts.exit(pushed);
            }
        }
        module.requireOpen();
        return function;
    }
}
