package io.tessera.gpu;

/**
 * A CUDA call failed, or CUDA is not available. {@link #cudaError()} names the driver's {@code CUresult}
 * (for example {@code CUDA_ERROR_OUT_OF_MEMORY}), or is {@code null} when no driver call was made. The gpu module's
 * root exception; through the engine's API ({@code io.tessera}) it reaches the user as the cause of a
 * {@code TesseraException}.
 */
public final class GpuException extends RuntimeException
{
    /**
     * The {@code CUresult} name of the failed driver call; null when no call was made. Part of the serialized form.
     */
    private final String cudaError;

    GpuException(String message, String cudaError)
    {
        super(message);
        this.cudaError = cudaError;
    }

    /**
     * The {@code CUresult} name of the failed driver call, for example {@code CUDA_ERROR_OUT_OF_MEMORY}.
     *
     * @return the name, or {@code null} when CUDA is unavailable (no driver call was made).
     */
    public String cudaError()
    {
        return cudaError;
    }
}
