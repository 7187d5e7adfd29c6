package io.tessera.internal.cluster;

import io.tessera.internal.CallSpec;
import io.tessera.internal.LocalRuntime;
import io.tessera.internal.ObjectCell;
import io.tessera.scheduler.ResourceRequest;

/**
 * A task as an owner sent it to a node: retried elsewhere when its node dies, and kept as lineage
 * while its object is held remotely ({@link RemoteHolder}), so that re-running it makes the object again.
 */
final class RemoteTask
{
    private static final int DEFAULT_MAX_RETRIES = 3;

    final Object fn;
    final Object[] args;
    final CallSpec spec;
    final ResourceRequest request;
    final String name;
    final ObjectCell result;
    final int maxRetries;
    int attempts;
    /** Where it went, for cancel; null for a lineage re-run (of a task that finished). */
    Sent sent;

    RemoteTask(Object fn, Object[] args, CallSpec spec, ResourceRequest request, String name, ObjectCell result)
    {
        this.fn = fn;
        this.args = args;
        this.spec = spec;
        this.request = request;
        this.name = name;
        this.result = result;
        this.maxRetries = spec != null && spec.maxRetries >= 0 ? spec.maxRetries : DEFAULT_MAX_RETRIES;
    }

    /**
     * This task as lineage: the same call with a stand-in cell of the same id. The holder that
     * keeps it is reachable from the result cell's Cleaner action, so it must not reach the cell.
     */
    RemoteTask forLineage(LocalRuntime runtime)
    {
        return new RemoteTask(fn, args, spec, request, name, runtime.newCell(result.id()));
    }
}
