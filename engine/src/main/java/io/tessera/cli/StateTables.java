package io.tessera.cli;

import io.tessera.internal.cluster.ResourceAmounts;
import io.tessera.state.ActorInfo;
import io.tessera.state.JobInfo;
import io.tessera.state.NodeInfo;
import io.tessera.state.ObjectInfo;
import io.tessera.state.PlacementGroupInfo;
import io.tessera.state.TaskInfo;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** How {@code tessera list} prints each kind of record as a table: a header line, then one line per record. */
final class StateTables
{
    private static final String TASKS = "%-24s %-32s %-22s %-24s %-8s %s%n";
    private static final String ACTORS = "%-24s %-40s %-20s %-10s %-24s %s%n";
    private static final String OBJECTS = "%-32s %10s %-24s %-10s %-32s %-5s %-8s %s%n";
    private static final String NODES = "%-24s %-22s %-6s %-5s %-14s %-14s %-22s %s%n";
    private static final String JOBS = "%-12s %-22s %-9s %-24s %s%n";
    private static final String GROUPS = "%-24s %-20s %-10s %-12s %s%n";

    private StateTables()
    {
    }

    static void print(String kind, List<?> items)
    {
        switch (kind)
        {
            case "tasks" ->
            {
                System.out.printf(TASKS, "ID", "FUNCTION", "STATE", "NODE", "ATTEMPT", "ERROR");
                for (Object o : items)
                {
                    final TaskInfo t = (TaskInfo) o;
                    System.out.printf(TASKS, t.id(), t.functionName(), t.state(), t.nodeId(), t.attempt(), text(t.error()));
                }
            }
            case "actors" ->
            {
                System.out.printf(ACTORS, "ID", "CLASS", "NAME", "STATE", "NODE", "DEATH CAUSE");
                for (Object o : items)
                {
                    final ActorInfo a = (ActorInfo) o;
                    System.out.printf(ACTORS, a.id(), a.className(), text(a.name()), a.state(), a.nodeId(), text(a.deathCause()));
                }
            }
            case "objects" ->
            {
                System.out.printf(OBJECTS, "ID", "SIZE", "OWNER", "JOB", "CALL SITE", "PINS", "WHERE", "COPIES ON");
                for (Object o : items)
                {
                    final ObjectInfo b = (ObjectInfo) o;
                    System.out.printf(OBJECTS, b.id(), bytes(b.sizeBytes()), text(b.ownerNodeId()), text(b.ownerJob()),
                        b.callSite() != null ? b.callSite() : "(put or unknown)", b.pins(), b.location(), String.join(",", b.nodeIds()));
                }
            }
            case "nodes" ->
            {
                System.out.printf(NODES, "ID", "ADDRESS", "STATE", "HEAD", "CPU USED", "GPU USED", "STORE USED", "METRICS");
                for (Object o : items)
                {
                    final NodeInfo n = (NodeInfo) o;
                    System.out.printf(NODES, n.id(), n.address(), n.alive() ? "ALIVE" : "DEAD", n.head() ? "yes" : "", used(n, "CPU"),
                        used(n, "GPU"), n.storeBytesTotal() < 0 ? "?" : bytes(n.storeBytesUsed()) + " / " + bytes(n.storeBytesTotal()),
                        text(n.metricsAddress()));
                }
            }
            case "jobs" ->
            {
                System.out.printf(JOBS, "ID", "DRIVER", "STATE", "STARTED", "ENDED");
                for (Object o : items)
                {
                    final JobInfo j = (JobInfo) o;
                    System.out.printf(JOBS, j.id(), j.driver(), j.state(), time(j.startedAtMs()), time(j.endedAtMs()));
                }
            }
            default ->
            {
                System.out.printf(GROUPS, "ID", "NAME", "STATE", "STRATEGY", "BUNDLES");
                for (Object o : items)
                {
                    final PlacementGroupInfo g = (PlacementGroupInfo) o;
                    System.out.printf(GROUPS, g.id(), text(g.name()), g.state(), g.strategy(), g.bundles());
                }
            }
        }
    }

    private static String bytes(long n)
    {
        return n < 0 ? "?" : ResourceAmounts.bytes(n);
    }

    private static String text(String s)
    {
        return s == null ? "" : s;
    }

    private static String time(long epochMs)
    {
        return epochMs == 0 ? "" : Instant.ofEpochMilli(epochMs).toString();
    }

    /** "used / total" of a resource, amounts as they are (CPUs may be fractional); empty when the node has none. */
    private static String used(NodeInfo n, String resource)
    {
        final Map<String, Double> total = n.resourcesTotal();
        final double t = total.getOrDefault(resource, 0.0);
        if (t <= 0)
        {
            return "";
        }
        final double used = Math.max(0, t - n.resourcesAvailable().getOrDefault(resource, t));
        return ResourceAmounts.number(used) + " / " + ResourceAmounts.number(t);
    }
}
