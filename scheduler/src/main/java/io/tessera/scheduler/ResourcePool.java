package io.tessera.scheduler;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The node's resource totals and what is free now. Owned by the dispatcher thread: only it calls
 * {@link #fits}, {@link #acquire} and {@link #release}; other threads read the free amounts only as
 * an approximate snapshot for statistics.
 *
 * <p>GPUs are devices of capacity 1.0 each: a whole-GPU request takes that many distinct fully free
 * devices; a fractional one takes a share of the single device that fits it most tightly, so small
 * shares pack together and whole devices stay free.
 */
final class ResourcePool
{
    private static final double EPSILON = 1e-9;

    final double totalCpus;
    final long totalMemory;
    final int[] gpuIds;
    final String[] customNames;
    final double[] customTotal;
    private final Map<String, Integer> customIndex = new HashMap<>();
    /** The totals as a resource table (see {@link ResourceRequest#fitsWithin}). */
    private final Map<String, Double> totals = new HashMap<>();

    double freeCpus;
    long freeMemory;
    final double[] gpuFree;
    final double[] customFree;

    ResourcePool(final SchedulerContext ctx)
    {
        totalCpus = ctx.cpus();
        totalMemory = ctx.memoryBytes();
        gpuIds = ctx.gpuIds();
        final Map<String, Double> resources = ctx.resources();
        customNames = resources.keySet().toArray(new String[0]);
        customTotal = new double[customNames.length];
        for (int i = 0; i < customNames.length; i++)
        {
            customTotal[i] = resources.get(customNames[i]);
            customIndex.put(customNames[i], i);
        }
        freeCpus = totalCpus;
        freeMemory = totalMemory;
        gpuFree = new double[gpuIds.length];
        java.util.Arrays.fill(gpuFree, 1.0);
        customFree = customTotal.clone();
        totals.putAll(resources);
        totals.put(ResourceRequest.CPU, totalCpus);
        totals.put(ResourceRequest.GPU, (double)gpuIds.length);
        totals.put(ResourceRequest.MEMORY, (double)totalMemory);
    }

    /** Resolves (and caches on the request) the request against this pool; any thread. */
    ResolvedRequest resolve(final ResourceRequest r)
    {
        final ResolvedRequest cached = r.resolved;
        if (cached != null && cached.pool == this)
        {
            return cached;
        }
        final Map<String, Double> custom = r.custom();
        final int[] idx = new int[custom.size()];
        final double[] amt = new double[custom.size()];
        int i = 0;
        for (final Map.Entry<String, Double> e : custom.entrySet())
        {
            final Integer at = customIndex.get(e.getKey());
            idx[i] = at == null ? -1 : at;
            amt[i] = e.getValue();
            i++;
        }
        final String reason = r.shortfall(totals);
        final ResolvedRequest resolved = new ResolvedRequest(this, idx, amt,
            r.gpus() == 0 ? new Grant(r, Grant.NO_GPUS) : null, reason);
        r.resolved = resolved;
        return resolved;
    }

    String infeasibleReason(final ResourceRequest r)
    {
        return resolve(r).infeasibleReason;
    }

    boolean fits(final ResourceRequest r, final ResolvedRequest rr)
    {
        if (r.cpus() > 0 && r.cpus() > freeCpus + EPSILON)
        {
            return false;
        }
        if (r.memoryBytes() > freeMemory)
        {
            return false;
        }
        final int[] idx = rr.customIndex;
        for (int i = 0; i < idx.length; i++)
        {
            if (idx[i] < 0 || rr.customAmount[i] > customFree[idx[i]] + EPSILON)
            {
                return false;
            }
        }
        final double g = r.gpus();
        if (g == 0)
        {
            return true;
        }
        if (g < 1)
        {
            return bestFractionalDevice(g) >= 0;
        }
        int whole = 0;
        for (final double free : gpuFree)
        {
            if (free > 1 - EPSILON)
            {
                whole++;
            }
        }
        return whole >= (int)g;
    }

    /** Takes the request (which must fit) and returns the grant. */
    Grant acquire(final ResourceRequest r, final ResolvedRequest rr)
    {
        freeCpus = freeCpus - r.cpus();
        freeMemory = freeMemory - r.memoryBytes();
        final int[] idx = rr.customIndex;
        for (int i = 0; i < idx.length; i++)
        {
            customFree[idx[i]] -= rr.customAmount[i];
        }
        final double g = r.gpus();
        if (g == 0)
        {
            return rr.sharedGrant;
        }
        final int[] ids;
        if (g < 1)
        {
            final int d = bestFractionalDevice(g);
            gpuFree[d] -= g;
            ids = new int[] {gpuIds[d]};
        }
        else
        {
            ids = new int[(int)g];
            int n = 0;
            for (int d = 0; d < gpuFree.length && n < ids.length; d++)
            {
                if (gpuFree[d] > 1 - EPSILON)
                {
                    gpuFree[d] = 0;
                    ids[n++] = gpuIds[d];
                }
            }
        }
        return new Grant(r, ids);
    }

    void release(final Grant grant, final ResourceRequest r, final ResolvedRequest rr)
    {
        freeCpus = freeCpus + r.cpus();
        freeMemory = freeMemory + r.memoryBytes();
        final int[] idx = rr.customIndex;
        for (int i = 0; i < idx.length; i++)
        {
            customFree[idx[i]] += rr.customAmount[i];
        }
        final int[] ids = grant.gpuIdsUnsafe();
        final double share = r.gpus() < 1 ? r.gpus() : 1.0;
        for (final int id : ids)
        {
            for (int d = 0; d < gpuIds.length; d++)
            {
                if (gpuIds[d] == id)
                {
                    gpuFree[d] = Math.min(1.0, gpuFree[d] + share);
                }
            }
        }
    }

    void adjustCpus(final double delta)
    {
        freeCpus = freeCpus + delta;
    }

    double freeGpus()
    {
        double sum = 0;
        for (final double f : gpuFree)
        {
            sum += f;
        }
        return sum;
    }

    Map<String, Double> customSnapshot(final double[] values)
    {
        final LinkedHashMap<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < customNames.length; i++)
        {
            m.put(customNames[i], values[i]);
        }
        return m;
    }

    private int bestFractionalDevice(final double g)
    {
        int best = -1;
        for (int d = 0; d < gpuFree.length; d++)
        {
            final double free = gpuFree[d];
            if (free + EPSILON >= g && (best < 0 || free < gpuFree[best]))
            {
                best = d;
            }
        }
        return best;
    }
}
