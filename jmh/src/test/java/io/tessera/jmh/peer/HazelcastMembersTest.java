package io.tessera.jmh.peer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The peer's loopback-only configuration forms a cluster offline and runs a task on it. */
class HazelcastMembersTest
{
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldStartLoopbackMemberAndRunTask() throws ExecutionException, InterruptedException
    {
        final HazelcastOneMember hz = new HazelcastOneMember();
        hz.start();
        try
        {
            assertEquals(1, hz.member.getCluster().getMembers().size());
            assertTrue(hz.member.getCluster().getLocalMember().getAddress().getHost().startsWith("127."),
                "bound to loopback: " + hz.member.getCluster().getLocalMember().getAddress());
            assertEquals(7, hz.executor.submit(new NoOpCallable(7)).get());
            hz.map.set(1, new byte[] {1, 2, 3});
            assertEquals(3, hz.map.get(1).length);
        }
        finally
        {
            hz.stop();
        }
    }
}
