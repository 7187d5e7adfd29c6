/**
 * The node's shared-memory object store ("plasma"): create, seal, pin-free reads across processes,
 * LRU eviction with spill to disk, and the raw/Fory serializer that stores values in it.
 */
package io.tessera.memory;
