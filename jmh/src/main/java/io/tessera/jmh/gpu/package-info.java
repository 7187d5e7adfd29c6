/**
 * GPU benchmarks: host↔device copy bandwidth through {@code GpuBuffer} beside raw driver copies, and
 * kernel launch latency beside a raw {@code cuLaunchKernel}. Without CUDA each trial fails at setup, naming why.
 */
package io.tessera.jmh.gpu;
