package io.tessera.jmh.peer;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.map.IMap;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** One embedded Hazelcast member (default executor and map settings) for one trial. */
@State(Scope.Benchmark)
public class HazelcastOneMember
{
    HazelcastInstance member;
    IExecutorService executor;
    IMap<Integer, byte[]> map;

    @Setup(Level.Trial)
    public void start()
    {
        member = HazelcastMembers.start(HazelcastMembers.uniqueClusterName(), HazelcastMembers.freePort());
        executor = member.getExecutorService("bench");
        map = member.getMap("bench");
    }

    @TearDown(Level.Trial)
    public void stop()
    {
        member.shutdown();
    }
}
