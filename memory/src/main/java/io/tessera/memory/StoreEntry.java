package io.tessera.memory;

/**
 * One object of a store as {@link ObjectStore#entries()} saw it.
 *
 * @param id            the object's id
 * @param sizeBytes     its payload size
 * @param pins          how many attached processes hold a zero-copy view of it now
 * @param spilled       true while it is on disk (spilled, or being read back), not in memory
 * @param secondary     true for a copy of an object whose primary lives elsewhere (dropped, not spilled, when evicted)
 * @param lastUsedNanos when it was created or last read, on {@link System#nanoTime()}'s clock (shared by the
 *                      processes of one host)
 */
public record StoreEntry(ObjectId id, long sizeBytes, int pins, boolean spilled, boolean secondary, long lastUsedNanos)
{
}
