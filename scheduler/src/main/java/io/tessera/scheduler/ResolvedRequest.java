package io.tessera.scheduler;

/**
 * A request resolved against one {@link ResourcePool}: custom names turned into indexes, and the
 * shared grant used when no GPU is involved. Immutable; cached on the request.
 */
final class ResolvedRequest
{
    final ResourcePool pool;
    final int[] customIndex;
    final double[] customAmount;
    final Grant sharedGrant;
    final String infeasibleReason;

    ResolvedRequest(final ResourcePool pool, final int[] customIndex, final double[] customAmount,
        final Grant sharedGrant, final String infeasibleReason)
    {
        this.pool = pool;
        this.customIndex = customIndex;
        this.customAmount = customAmount;
        this.sharedGrant = sharedGrant;
        this.infeasibleReason = infeasibleReason;
    }
}
