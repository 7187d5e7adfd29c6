/**
 * Latency and throughput of the public API on an embedded node, each beside its in-process JDK
 * baseline ({@code CompletableFuture} on the {@code ForkJoinPool}, a single-thread executor per actor).
 */
package io.tessera.jmh.engine;
