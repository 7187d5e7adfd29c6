package io.tessera.memory;

/**
 * A snapshot of a store's counters, read without the allocation lock (fields may be mutually a
 * moment apart).
 *
 * @param capacityBytes size of the data region available to objects.
 * @param usedBytes     bytes of the data region held by objects, block headers included.
 * @param objects       objects in memory (sealed or being written).
 * @param pinned        objects with at least one pin.
 * @param spilled       objects currently spilled to disk.
 * @param evicted       objects ever evicted (dropped secondaries plus spilled primaries).
 * @param restored      spilled objects ever restored into memory.
 * @param clients       attached processes, owner included.
 * @param maxObjects    object table limit.
 * @param lockRecoveries times the store lock was taken over from a dead holder (and the allocator
 *                      rebuilt).
 */
public record StoreStats(
    long capacityBytes,
    long usedBytes,
    long objects,
    long pinned,
    long spilled,
    long evicted,
    long restored,
    int clients,
    int maxObjects,
    long lockRecoveries)
{
    /**
     * Returns bytes of the data region not held by objects (possibly fragmented).
     *
     * @return bytes of the data region not held by objects (possibly fragmented).
     */
    public long freeBytes()
    {
        return capacityBytes - usedBytes;
    }
}
