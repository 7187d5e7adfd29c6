/**
 * CUDA for Tessera through JCuda's driver API: device discovery, per-thread device binding, device
 * buffers, kernel loading and launch. Probed once; without a GPU everything reports why and fails fast.
 */
package io.tessera.gpu;
