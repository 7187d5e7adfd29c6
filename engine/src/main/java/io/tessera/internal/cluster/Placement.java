package io.tessera.internal.cluster;

import io.tessera.InfeasibleTaskException;
import io.tessera.internal.ObjectCell;
import io.tessera.scheduler.ResourceRequest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where an owner's task or actor goes: a live node whose totals fit the request, preferring the
 * holder of the largest argument, then the most free CPU (the head's view, less what this owner has
 * in flight there), then the node chosen last; a request no node could ever fit fails fast naming the missing resource.
 */
final class Placement
{
    private final MemberServices member;
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger roundRobin = new AtomicInteger();
    /** The node {@link #choose} picked last (ties go to it). */
    private volatile String lastChosen;

    Placement(MemberServices member)
    {
        this.member = member;
    }

    /** This owner's requests in flight to the node at {@code address} (count up on send, down on reply). */
    AtomicInteger inFlightTo(String address)
    {
        return inFlight.computeIfAbsent(address, a -> new AtomicInteger());
    }

    void checkFeasible(ResourceRequest r, String what)
    {
        if (!anyFits(r))
        {
            member.refreshViewNow();
            if (!anyFits(r))
            {
                throw new InfeasibleTaskException(what + " can never run on this cluster: " + missing(r));
            }
        }
    }

    private boolean anyFits(ResourceRequest r)
    {
        for (NodeView n : member.view())
        {
            if (n.alive() && !member.isDead(n.address()) && r.fitsWithin(n.total()))
            {
                return true;
            }
        }
        return false;
    }

    /** The node for a request: alive, its totals fit; prefer the holder of the largest argument, then the most free CPU. */
    NodeView choose(ResourceRequest r, Object[] args, String what)
    {
        return choose(r, args, what, false);
    }

    private NodeView choose(ResourceRequest r, Object[] args, String what, boolean refreshed)
    {
        final List<NodeView> candidates = new ArrayList<>();
        for (NodeView n : member.view())
        {
            if (n.alive() && !member.isDead(n.address()) && r.fitsWithin(n.total())
                && (member.role() == Role.DRIVER || !n.address().equals(member.address())))
            {
                candidates.add(n);
            }
        }
        if (candidates.isEmpty())
        {
            if (!refreshed)
            {
                member.refreshViewNow();
                return choose(r, args, what, true);
            }
            throw new InfeasibleTaskException(what + " can never run on this cluster: " + missing(r));
        }
        final String holder = largestArgumentHolder(args);
        NodeView best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        final int start = roundRobin.getAndIncrement();
        for (int i = 0; i < candidates.size(); i++)
        {
            final NodeView n = candidates.get((start + i) % candidates.size());
            final AtomicInteger mine = inFlight.get(n.address());
            double score = n.free().getOrDefault("CPU", 0.0) - (mine == null ? 0 : mine.get()) * Math.max(r.cpus(), 0.01);
            if (n.address().equals(holder) && score > 0)
            {
                score += 1_000;
            }
            // on a tie, the node chosen last: a caller's sequential tasks stay on a node whose threads are awake
            // (alternating between idle nodes makes each one's worker and dispatcher park between tasks); work in
            // flight lowers a node's score, so concurrent tasks still spread
            if (score > bestScore || score == bestScore && n.address().equals(lastChosen))
            {
                bestScore = score;
                best = n;
            }
        }
        lastChosen = best.address();
        return best;
    }

    private String largestArgumentHolder(Object[] args)
    {
        long biggest = -1;
        String at = null;
        for (Object a : args)
        {
            if (a instanceof ObjectCell c && c.storedObject() != null && c.storedObject().remote() instanceof RemoteHolder h
                && h.size > biggest)
            {
                biggest = h.size;
                at = h.address;
            }
        }
        return at;
    }

    /** What the largest node lacks (each resource at its largest over the live nodes), or why none fits. */
    private String missing(ResourceRequest r)
    {
        final Map<String, Double> largest = new HashMap<>();
        for (NodeView n : member.view())
        {
            if (n.alive())
            {
                n.total().forEach((k, v) -> largest.merge(k, v, Math::max));
            }
        }
        final String shortfall = r.shortfall(largest, "the largest node");
        return shortfall != null ? shortfall : "no alive node fits " + r;
    }
}
