package io.tessera.internal.cluster;

import io.tessera.TesseraException;
import io.tessera.memory.StoreContext;
import io.tessera.memory.StoreStats;
import io.tessera.transport.Connection;
import io.tessera.transport.TransportContext;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A node's resource use as numbers (NODE_STATS): heap after an optional GC, open file descriptors,
 * live threads, store and spill use, what it holds for owners. What a soak test compares job after job.
 */
final class NodeStats
{
    /** Collections asked by peers run at most once a second. */
    private static volatile long lastGcNs = System.nanoTime() - TimeUnit.SECONDS.toNanos(2);

    private NodeStats()
    {
    }

    /** This process's numbers, in a fixed order. */
    static Map<String, Long> collect(MemberServices member, NodeService node, Owner owner, Borrowers borrowers, PeerRoles roles,
                                     boolean gcFirst)
    {
        if (gcFirst && System.nanoTime() - lastGcNs > TimeUnit.SECONDS.toNanos(1))
        {
            lastGcNs = System.nanoTime();
            for (int i = 0; i < 3; i++)
            {
                System.gc();
                try
                {
                    Thread.sleep(50);  // lets the Cleaners that the collection queued run
                }
                catch (InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }
        }
        final Map<String, Long> m = new LinkedHashMap<>();
        final Runtime rt = Runtime.getRuntime();
        m.put("heapUsedBytes", rt.totalMemory() - rt.freeMemory());
        m.put("openFiles", countEntries(Path.of("/proc/self/fd")));
        m.put("threads", (long) ManagementFactory.getThreadMXBean().getThreadCount());
        final StoreStats s = member.runtime().store().stats();
        m.put("storeUsedBytes", s.usedBytes());
        m.put("storeCapacityBytes", s.capacityBytes());
        m.put("storeObjects", s.objects());
        m.put("spillBytes", sizeOf(StoreContext.spillDirFor(StoreContext.defaultSpillRoot(), member.runtime().store().path())));
        m.put("heldObjects", node == null ? 0L : node.heldObjects());
        m.put("actors", node == null ? 0L : node.actorCount());
        m.put("jobLoaders", (long) member.cache().openLoaders());
        m.put("lentObjects", (long) owner.borrows.lentOutCount());
        m.put("borrowsByPeers", (long) borrowers.size());
        m.put("refusedMessages", roles.refusedCount());
        return m;
    }

    /**
     * Asks the node at {@code nodeAddress} for its numbers, as a short-lived client.
     *
     * @throws TesseraException when the node cannot be reached or refuses the token
     */
    static Map<String, Long> query(String nodeAddress, String token, boolean gcFirst)
    {
        final TransportContext ctx = ClusterTls.apply(new TransportContext().token(token).nodeId("status-"
            + ProcessHandle.current().pid()));
        try (Connection c = io.tessera.transport.TransportClient.connect(ctx, Advertise.hostOf(nodeAddress),
            Advertise.portOf(nodeAddress)))
        {
            OwnerProxy.role(c, "status");
            return OwnerProxy.nodeStats(c, gcFirst).orTimeout(30, TimeUnit.SECONDS).join();
        }
        catch (RuntimeException ex)
        {
            throw new TesseraException("cannot reach the node at " + nodeAddress + ": " + ex.getMessage(), ex);
        }
    }

    private static long countEntries(Path dir)
    {
        try (Stream<Path> s = Files.list(dir))
        {
            return s.count();
        }
        catch (IOException | RuntimeException ex)
        {
            return -1;
        }
    }

    private static long sizeOf(Path dir)
    {
        if (!Files.isDirectory(dir))
        {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir))
        {
            return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
        catch (IOException | RuntimeException ex)
        {
            return -1;
        }
    }
}
