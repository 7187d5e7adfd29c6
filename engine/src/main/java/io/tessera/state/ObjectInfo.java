package io.tessera.state;

import java.util.List;

/**
 * One object in the cluster's object stores: a put, a result too large to travel inline (over 100 KiB),
 * or a copy pulled to where a task read it. Small results kept inline on their owner's heap take no
 * store memory and are not listed.
 *
 * @param id           the object's id (32 hex digits)
 * @param sizeBytes    its size in the store
 * @param ownerNodeId  the node (or driver process) that owns it, whose id prefix it carries; null when that
 *                     process is gone
 * @param ownerJob     the job it belongs to; null when no node could tell (a put made inside a task)
 * @param nodeIds      the nodes (or drivers) whose stores hold a copy of it, the owner's first
 * @param pins         zero-copy views of it held now, over all copies ({@code getSegment} readers)
 * @param spilled      true when no copy is in memory (each is on disk)
 * @param taskId       the task whose result it is, while a node still holds that task's record; null for a put
 *                     (or a task whose record was dropped)
 * @param callSite     that task's function name ({@code Demo.square}); null when {@code taskId} is
 * @param createdAtMs  when that task finished (epoch milliseconds); 0 when unknown
 * @param lastUsedAtMs when it was last written or read in a store (epoch milliseconds)
 */
public record ObjectInfo(String id, long sizeBytes, String ownerNodeId, String ownerJob, List<String> nodeIds, int pins,
                         boolean spilled, String taskId, String callSite, long createdAtMs, long lastUsedAtMs)
{
    /** Copies the list. */
    public ObjectInfo
    {
        nodeIds = List.copyOf(nodeIds);
    }

    /**
     * Where it is: {@code SPILLED} when on disk only, else {@code IN_MEMORY} (what {@link ClusterState#summarizeObjects()}
     * counts).
     *
     * @return the state's name
     */
    public String location()
    {
        return spilled ? "SPILLED" : "IN_MEMORY";
    }
}
