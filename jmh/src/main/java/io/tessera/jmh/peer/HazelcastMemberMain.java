package io.tessera.jmh.peer;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The second Hazelcast member, in its own JVM: {@code HazelcastMemberMain <cluster> <port> <peerPort>}.
 * Prints {@value #READY} once it has joined a cluster of two, then runs until its standard input
 * closes (so it never outlives the benchmark JVM that started it), and shuts down.
 */
public final class HazelcastMemberMain
{
    static final String READY = "hazelcast-member-ready";

    private HazelcastMemberMain()
    {
    }

    public static void main(String[] args) throws IOException, InterruptedException
    {
        if (args.length != 3)
        {
            System.err.println("usage: HazelcastMemberMain <clusterName> <port> <peerPort>");
            System.exit(2);
        }
        final HazelcastInstance member = HazelcastMembers.start(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        try
        {
            final CountDownLatch two = new CountDownLatch(1);
            member.getCluster().addMembershipListener(new MembershipListener()
            {
                @Override
                public void memberAdded(MembershipEvent event)
                {
                    if (event.getMembers().size() >= 2)
                    {
                        two.countDown();
                    }
                }

                @Override
                public void memberRemoved(MembershipEvent event)
                {
                    // the benchmark JVM leaving ends the run through standard input
                }
            });
            if (member.getCluster().getMembers().size() < 2 && !two.await(60, TimeUnit.SECONDS))
            {
                System.err.println("hazelcast member on port " + args[1] + " saw no peer at 127.0.0.1:" + args[2] + " within 60 s");
                System.exit(1);
            }
            System.out.println(READY);
            System.out.flush();
            while (System.in.read() >= 0)
            {
                // drain until the parent closes the pipe or dies
            }
        }
        finally
        {
            member.shutdown();
        }
    }
}
