/**
 * GPU benchmarks: host↔device copy bandwidth through {@code GpuBuffer} and through the engine's GPU objects
 * beside raw driver copies; kernel launch latency beside a raw {@code cuLaunchKernel}, and as a Tessera task
 * beside a direct launch. Without CUDA each trial fails at setup, naming why.
 */
package io.tessera.jmh.gpu;
