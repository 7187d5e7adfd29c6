/**
 * Tessera's GPU module: CUDA devices, contexts, device buffers and kernels through JCuda. JCuda is optional
 * ({@code requires static}): on the class path a node without it has no GPUs and says so; on the module path
 * add {@code jcuda} (an automatic module named after its file, as is {@code jcuda.natives}) with
 * {@code --add-modules jcuda} unless another automatic module pulls it in.
 */
module io.tessera.gpu
{
    requires static jcuda;

    exports io.tessera.gpu;
}
