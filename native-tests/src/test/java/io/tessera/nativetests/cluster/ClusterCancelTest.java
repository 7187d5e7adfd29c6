package io.tessera.nativetests.cluster;

import io.tessera.testing.Await;
import io.tessera.ActorHandle;
import io.tessera.ObjectRef;
import io.tessera.TaskCancelledException;
import io.tessera.Tessera;
import io.tessera.TesseraConfig;
import io.tessera.TaskOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code Tessera.cancel} of work a driver sent to a node: the worker has one CPU, so the tasks that
 * need its 'slot' resource run there one at a time and the rest queue behind them.
 */
@Timeout(180)
class ClusterCancelTest
{
    /** Only the worker has slots: every task of these tests runs (or queues) there, one CPU at a time. */
    private static final Consumer<TaskOptions> ON_WORKER = o -> o.resource("slot", 1);

    static ClusterFixture cluster;
    private Path dir;

    @BeforeAll
    static void startCluster() throws Exception
    {
        cluster = new ClusterFixture("cancel");
        cluster.startHead(0, "--cpus", "1");
        cluster.startWorker("w", "--cpus", "1", "--resource", "slot=8");
    }

    @AfterAll
    static void stopCluster() throws Exception
    {
        cluster.close();
    }

    @AfterEach
    void leave()
    {
        Tessera.shutdown();
    }

    private void join() throws Exception
    {
        Tessera.init(TesseraConfig.builder().address(cluster.headAddress).token(ClusterFixture.TOKEN)
            .objectStoreBytes(64L << 20).build());
        dir = Files.createTempDirectory(cluster.home, "markers");
    }

    private String marker(String name)
    {
        return dir.resolve(name).toString();
    }

    private static void awaitFile(String path) throws InterruptedException
    {
        Await.until(path + " to appear", Duration.ofSeconds(60), () -> Files.exists(Path.of(path)));
    }

    private static boolean exists(String path)
    {
        return Files.exists(Path.of(path));
    }

    @Test
    void shouldRemoveQueuedTasksAndInterruptARunningOneOnANode() throws Exception
    {
        join();
        final ObjectRef<String> running = Tessera.task(Jobs::markAndSleep, marker("running"), 20_000L).options(ON_WORKER).remote();
        awaitFile(marker("running") + ".started");
        // queued on the worker behind 'running' (its only CPU is taken)
        final ObjectRef<String> queued = Tessera.task(Jobs::markAndSleep, marker("queued"), 0L).options(ON_WORKER).remote();
        // queued at the owner: its argument is not ready yet
        final ObjectRef<String> waiting = Tessera.task(Jobs::markAfter, running, marker("waiting")).options(ON_WORKER).remote();
        assertTrue(Tessera.wait(List.of(queued), 1, Duration.ofMillis(500)).ready().isEmpty(), "queued behind the running task");

        Tessera.cancel(queued);
        assertThrows(TaskCancelledException.class, () -> Tessera.get(queued, Duration.ofSeconds(5)));
        Tessera.cancel(waiting);
        assertThrows(TaskCancelledException.class, () -> Tessera.get(waiting, Duration.ofSeconds(5)));

        // a running task is interrupted: its get fails at once, and the worker's CPU is free again
        Tessera.cancel(running);
        assertThrows(TaskCancelledException.class, () -> Tessera.get(running, Duration.ofSeconds(5)));
        final ObjectRef<String> after = Tessera.task(Jobs::markAndSleep, marker("after"), 0L).options(ON_WORKER).remote();
        assertEquals(marker("after"), Tessera.get(after, Duration.ofSeconds(10)), "ran long before the 20 s sleep would have ended");
        assertFalse(exists(marker("running") + ".done"), "the running task was interrupted");
        assertFalse(exists(marker("queued") + ".started"), "the cancelled queued task never ran");
        assertFalse(exists(marker("waiting") + ".started"), "the task cancelled while waiting for its argument never ran");
    }

    @Test
    void shouldCancelANestedTaskThatSpilledToAnotherNode() throws Exception
    {
        join();
        // the parent holds the worker's only CPU, so its child spills to the head; the parent cancels it there
        final String outcome = Tessera.task(Jobs::spawnAndCancel, marker("child")).options(ON_WORKER).remote().get();
        assertTrue(outcome.startsWith("cancelled"), outcome);
        final String[] words = outcome.split(" ");
        assertTrue(!words[1].equals(words[3]), "the child ran on another node than its parent: " + outcome);
        assertFalse(exists(marker("child") + ".done"), "the child was interrupted");
    }

    @Test
    void shouldKeepTheValueOfAFinishedTask() throws Exception
    {
        join();
        final ObjectRef<Long> done = Tessera.task(Jobs::plusOne, 41L).options(ON_WORKER).remote();
        assertEquals(42L, done.get());
        Tessera.cancel(done);
        assertEquals(42L, done.get());
        assertEquals(42L, Tessera.task(Jobs::plusOne, done).options(ON_WORKER).remote().get() - 1);
    }

    @Test
    void shouldRemoveAQueuedActorCallAndInterruptARunningOne() throws Exception
    {
        join();
        final ActorHandle<Jobs.Counter> c = Tessera.actor(Jobs.Counter::new, 0L).options(o -> o.resource("slot", 1)).remote();
        final ObjectRef<Long> slow = c.task(Jobs.Counter::addAfter, marker("slow"), 1L, 2_000L).remote();
        final ObjectRef<Long> queued = c.task(Jobs.Counter::add, 100L).remote();
        awaitFile(marker("slow") + ".started");
        Tessera.cancel(queued);
        assertThrows(TaskCancelledException.class, () -> Tessera.get(queued, Duration.ofSeconds(5)));
        assertEquals(1L, slow.get());
        assertEquals(1L, c.task(Jobs.Counter::value).remote().get(), "the cancelled call never ran");

        final ObjectRef<Long> running = c.task(Jobs.Counter::addAfter, marker("long"), 1_000L, 20_000L).remote();
        awaitFile(marker("long") + ".started");
        Tessera.cancel(running);
        assertThrows(TaskCancelledException.class, () -> Tessera.get(running, Duration.ofSeconds(5)));
        assertEquals(1L, c.task(Jobs.Counter::value).remote().get(Duration.ofSeconds(10)), "the interrupted call added nothing");
        c.kill();
    }
}
