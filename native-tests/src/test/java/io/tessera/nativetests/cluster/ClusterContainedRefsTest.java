package io.tessera.nativetests.cluster;

import io.tessera.testing.Await;
import io.tessera.ActorHandle;
import io.tessera.ObjectRef;
import io.tessera.Tessera;
import io.tessera.TesseraConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.ref.WeakReference;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Refs stored inside objects keep their objects alive across processes while the outer object lives. */
@Timeout(120)
class ClusterContainedRefsTest
{
    private ClusterFixture cluster;

    @AfterEach
    void tearDown() throws Exception
    {
        Tessera.shutdown();
        if (cluster != null)
        {
            cluster.close();
        }
    }

    /** Collects until {@code probe} is cleared, then gives the Cleaner a few more rounds. */
    private static void collect(WeakReference<?> probe) throws InterruptedException
    {
        Await.until("the dropped ref was collected", () ->
        {
            System.gc();
            return probe.get() == null;
        });
        for (int i = 0; i < 5; i++)
        {
            System.gc();
            Thread.sleep(20);
        }
    }

    @Test
    void shouldReadThroughARefStoredInsideAnObjectOnAnotherNode() throws Exception
    {
        cluster = new ClusterFixture("contained");
        cluster.startHead(0, "--cpus", "1");
        cluster.startWorker("w", "--cpus", "2", "--resource", "reader=1");
        Tessera.init(TesseraConfig.builder().address(cluster.headAddress).token(ClusterFixture.TOKEN)
            .objectStoreBytes(64L << 20).build());

        ObjectRef<String> inner = Tessera.put("inner");
        final ObjectRef<ObjectRef<String>> outer = Tessera.put(inner);
        final byte[] pattern = new byte[16 << 20];
        for (int i = 0; i < pattern.length; i += 4096)
        {
            pattern[i] = (byte) (i >>> 12);
        }
        ObjectRef<byte[]> big = Tessera.put(pattern);
        final ObjectRef<List<ObjectRef<byte[]>>> holder = Tessera.put(List.of(big));
        final WeakReference<ObjectRef<String>> innerProbe = new WeakReference<>(inner);
        final WeakReference<ObjectRef<byte[]>> bigProbe = new WeakReference<>(big);
        inner = null;
        big = null;
        assertNull(inner);
        assertNull(big);
        collect(innerProbe);
        collect(bigProbe);

        assertEquals("inner", outer.get().get());
        assertEquals("inner", Tessera.task(ContainedRefJobs::readThrough, List.of(outer)).remote().get());
        final ActorHandle<ContainedRefJobs.Reader> reader = Tessera.actor(ContainedRefJobs.Reader::new)
            .options(o -> o.resource("reader", 1)).remote();
        assertEquals("inner", reader.task(ContainedRefJobs.Reader::read, List.of(outer)).remote().get());
        assertEquals(ContainedRefJobs.sample(pattern),
            Tessera.task(ContainedRefJobs::sampleThrough, List.of(holder)).remote().get());
        final String onNode = Tessera.task(ContainedRefJobs::nestedPutHere).remote().get();
        assertTrue(onNode.startsWith("made on "), onNode);
    }

    @Test
    void shouldKeepRefsReturnedInsideATaskResultAliveUntilTheOwnerOfTheResultDropsIt() throws Exception
    {
        cluster = new ClusterFixture("returned");
        cluster.startHead(0, "--cpus", "0");
        cluster.startWorker("w", "--cpus", "2");
        Tessera.init(TesseraConfig.builder().address(cluster.headAddress).token(ClusterFixture.TOKEN)
            .objectStoreBytes(64L << 20).build());
        // the node collects garbage all the time: refs it made and no longer holds itself die at once
        assertTrue(Tessera.task(ContainedRefJobs::collectGarbageFor, 60_000L).remote().get());
        for (int round = 0; round < 20; round++)
        {
            final List<ObjectRef<String>> refs = Tessera.task(ContainedRefJobs::freshRefs, 3).remote().get();
            Thread.sleep(20);
            for (int i = 0; i < refs.size(); i++)
            {
                assertEquals("fresh " + i, refs.get(i).get(), "round " + round);
            }
        }
    }

    @Test
    void shouldReadARefThatABorrowerLentOnFromWhereItsBytesAre() throws Exception
    {
        cluster = new ClusterFixture("lent-on");
        cluster.startHead(0, "--cpus", "1", "--resource", "h=1");
        cluster.startWorker("w", "--cpus", "2", "--resource", "w=1");
        Tessera.init(TesseraConfig.builder().address(cluster.headAddress).token(ClusterFixture.TOKEN)
            .objectStoreBytes(64L << 20).build());
        final byte[] pattern = new byte[4 << 20];
        for (int i = 0; i < pattern.length; i += 4096)
        {
            pattern[i] = (byte) (i >>> 12);
        }
        ObjectRef<byte[]> big = Tessera.put(pattern);
        final ObjectRef<List<ObjectRef<byte[]>>> holder = Tessera.put(List.of(big));
        final WeakReference<ObjectRef<byte[]>> probe = new WeakReference<>(big);
        big = null;
        assertNull(big);
        collect(probe);
        // the worker borrows the inner ref from the driver and lends it on to the head, never reading it itself
        assertEquals(ContainedRefJobs.sample(pattern), Tessera.task(ContainedRefJobs::forwardInner, List.of(holder), "h")
            .options(o -> o.resource("w", 1)).remote().get());
    }
}
