/**
 * The embedded node behind {@code io.tessera}: object cells, invocations, actors and the runtime
 * wiring the object store, the local scheduler and the GPUs. Not API: may change at any time.
 */
package io.tessera.internal;
