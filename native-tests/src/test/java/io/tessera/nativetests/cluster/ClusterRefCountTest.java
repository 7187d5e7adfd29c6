package io.tessera.nativetests.cluster;

import io.tessera.ObjectRef;
import io.tessera.Tessera;
import io.tessera.TesseraConfig;
import io.tessera.internal.cluster.ClusterClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.tessera.nativetests.cluster.ClusterLifeTest.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An object held by a node is freed cluster-wide once no ref to it remains (own cluster: nothing else is stored). */
@Timeout(120)
class ClusterRefCountTest
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

    private long knownObjects()
    {
        final Matcher m = Pattern.compile("objects with known locations: (\\d+)")
            .matcher(ClusterClient.status(cluster.headAddress, ClusterFixture.TOKEN));
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    @Test
    void shouldFreeARemoteObjectClusterWideOnceNoRefRemains() throws Exception
    {
        cluster = new ClusterFixture("refcount");
        cluster.startHead(0, "--cpus", "1");
        cluster.startWorker("w", "--cpus", "2");
        Tessera.init(TesseraConfig.builder().address(cluster.headAddress).token(ClusterFixture.TOKEN)
            .objectStoreBytes(64L << 20).build());
        assertEquals(0, knownObjects());
        ObjectRef<double[]> big = Tessera.task(Jobs::bigResult, 300_000, 1.0).remote();
        assertEquals(Jobs.sum(Jobs.bigResult(300_000, 1.0)), Tessera.task(Jobs::sum, big).remote().get());
        assertTrue(eventually(() -> knownObjects() == 1, 10_000), "the holder registered its copy with the head");
        big = null;
        assertNull(big);
        // the owner's Cleaner tells the holder, which frees its copy and tells the head
        assertTrue(eventually(() ->
        {
            System.gc();
            return knownObjects() == 0;
        }, 20_000), "the holder freed the object once the driver held no ref");
    }

    @Test
    void shouldKeepTheHoldersCopyWhenABorrowerOnTheHolderDropsIt() throws Exception
    {
        cluster = new ClusterFixture("borrow-on-holder");
        cluster.startHead(0, "--cpus", "1");
        cluster.startWorker("w", "--cpus", "2", "--resource", "here=2");
        Tessera.init(TesseraConfig.builder().address(cluster.headAddress).token(ClusterFixture.TOKEN)
            .objectStoreBytes(64L << 20).build());
        // made on w, borrowed and read by an actor on w itself, then dropped there
        final ObjectRef<double[]> big = Tessera.task(Jobs::bigResult, 300_000, 4.0).options(o -> o.resource("here", 1)).remote();
        final double expected = Jobs.sum(Jobs.bigResult(300_000, 4.0));
        final io.tessera.ActorHandle<Jobs.Keeper> keeper = Tessera.actor(Jobs.Keeper::new)
            .options(o -> o.resource("here", 0.5)).remote();
        assertEquals(1, keeper.task(Jobs.Keeper::keep, java.util.List.of(big)).remote().get());
        assertEquals(expected, keeper.task(Jobs.Keeper::sumKept).remote().get());
        keeper.task(Jobs.Keeper::drop).remote().get();
        for (int i = 0; i < 5; i++)
        {
            System.gc();
            Thread.sleep(100);
        }
        // the borrower's release must not have deleted the copy w holds for the driver
        assertEquals(expected, Tessera.task(Jobs::sum, big).options(o -> o.resource("here", 0.5)).remote().get());
        assertEquals(expected, Jobs.sum(big.get()));
    }

    @Test
    void shouldKeepABorrowedObjectAliveUntilTheBorrowerDropsIt() throws Exception
    {
        cluster = new ClusterFixture("borrow");
        cluster.startHead(0, "--cpus", "1");
        cluster.startWorker("w", "--cpus", "2", "--resource", "keeper=1");
        Tessera.init(TesseraConfig.builder().address(cluster.headAddress).token(ClusterFixture.TOKEN)
            .objectStoreBytes(64L << 20).build());
        ObjectRef<double[]> big = Tessera.task(Jobs::bigResult, 300_000, 2.0).remote();
        final double expected = Jobs.sum(Jobs.bigResult(300_000, 2.0));
        final io.tessera.ActorHandle<Jobs.Keeper> keeper = Tessera.actor(Jobs.Keeper::new)
            .options(o -> o.resource("keeper", 1)).remote();
        assertEquals(1, keeper.task(Jobs.Keeper::keep, java.util.List.of(big)).remote().get());
        assertTrue(eventually(() -> knownObjects() == 1, 10_000));
        big = null;
        assertNull(big);
        // the driver dropped its ref, but the actor on the node still borrows it: it must stay
        for (int i = 0; i < 5; i++)
        {
            System.gc();
            Thread.sleep(100);
        }
        assertEquals(1, knownObjects(), "a borrowed object outlives its owner's last local ref");
        assertEquals(expected, keeper.task(Jobs.Keeper::sumKept).remote().get());
        // the borrower drops it: its release reaches the owner, whose ref then dies, and the copy is freed
        keeper.task(Jobs.Keeper::drop).remote().get();
        assertTrue(eventually(() ->
        {
            System.gc();
            return knownObjects() == 0;
        }, 30_000), "freed once the borrower released it");
    }
}
