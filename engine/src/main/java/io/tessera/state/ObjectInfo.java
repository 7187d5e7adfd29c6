package io.tessera.state;

/**
 * One object in a node's store.
 *
 * @param id        the object's id
 * @param sizeBytes its size in the store
 * @param nodeId    the node whose store holds it
 * @param ownerJob  the job that owns it (made it or put it)
 * @param refCount  references to it that processes hold
 * @param pinned    true while a reader holds a zero-copy view of it
 * @param spilled   true when it is on disk, not in memory
 */
public record ObjectInfo(String id, long sizeBytes, String nodeId, String ownerJob, long refCount, boolean pinned,
                         boolean spilled)
{
}
