package io.tessera.jmh.peer;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.map.IMap;
import com.hazelcast.partition.Partition;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Two Hazelcast members on loopback: one embedded in the benchmark JVM (the caller) and one in a
 * child JVM ({@link RemoteMember}). Tasks go to the child with {@code submitToMember}; map operations
 * use a key whose partition the child owns (default backup count 1, so a write is also backed up on
 * the caller). Every operation therefore crosses the loopback, as a two-node cluster's would.
 */
@State(Scope.Benchmark)
public class HazelcastTwoMembers
{
    HazelcastInstance member;
    RemoteMember child;
    Member remote;
    IExecutorService executor;
    IMap<Integer, byte[]> map;
    int remoteKey;

    @Setup(Level.Trial)
    public void start()
    {
        final String cluster = HazelcastMembers.uniqueClusterName();
        final int localPort = HazelcastMembers.freePort();
        final int childPort = HazelcastMembers.freePort();
        child = RemoteMember.launch(cluster, childPort, localPort);
        member = HazelcastMembers.start(cluster, localPort, childPort);
        child.awaitReady(90_000);
        remote = member.getCluster().getMembers().stream().filter(m -> !m.localMember()).findFirst()
            .orElseThrow(() -> new IllegalStateException("the child member did not join cluster " + cluster));
        executor = member.getExecutorService("bench");
        map = member.getMap("bench");
        remoteKey = keyOwnedBy(remote);
    }

    private int keyOwnedBy(Member owner)
    {
        final long deadlineNs = System.nanoTime() + 30_000_000_000L;
        map.get(0); // makes the cluster assign partitions
        for (int k = 0; System.nanoTime() < deadlineNs; k = (k + 1) & 0xFFFF)
        {
            final Partition p = member.getPartitionService().getPartition(k);
            if (owner.equals(p.getOwner()))
            {
                return k;
            }
            Thread.onSpinWait();
        }
        throw new IllegalStateException("no partition owned by " + owner + " within 30 s");
    }

    @TearDown(Level.Trial)
    public void stop()
    {
        try
        {
            member.shutdown();
        }
        finally
        {
            child.close();
        }
    }
}
