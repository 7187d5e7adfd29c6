package io.tessera.scheduler;

/**
 * Makes the granted devices current on a worker thread. Called on the worker thread right before a
 * task (or an actor call) that holds GPUs runs, and again right after it ends.
 */
public interface GpuBinder
{
    /**
     * Makes the granted GPUs current on the calling worker thread (e.g. pushes their CUDA context) before a
     * task or actor call that holds GPUs runs on it.
     *
     * @param gpuIds the device ordinals granted to the work about to run; never empty.
     */
    void bind(int[] gpuIds);

    /**
     * Undoes {@link #bind(int[])} after the work ended, however it ended.
     */
    void unbind();
}
