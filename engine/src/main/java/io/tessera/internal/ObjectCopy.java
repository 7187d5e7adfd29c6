package io.tessera.internal;

/**
 * One copy of an object in one node's store, as that node reported it for the state API (merged into
 * {@link io.tessera.state.ObjectInfo}s by {@link NodeRecords#objectInfos()}).
 *
 * @param id           the object's id (32 hex digits)
 * @param sizeBytes    its size in the store
 * @param nodeId       the node (or driver) whose store holds this copy
 * @param ownerJob     the job it belongs to as this node knows it (a result it holds for an owner, or any object
 *                     of a driver or embedded node); null when it cannot tell
 * @param pins         zero-copy views of this copy held now
 * @param spilled      true while this copy is on disk
 * @param secondary    true for a copy pulled from elsewhere (dropped, not spilled, when evicted)
 * @param lastUsedAtMs when it was last written or read (epoch milliseconds)
 */
public record ObjectCopy(String id, long sizeBytes, String nodeId, String ownerJob, int pins, boolean spilled,
                         boolean secondary, long lastUsedAtMs)
{
}
