package io.tessera.nativetests.conformance;

import io.tessera.ActorDiedException;
import io.tessera.ActorHandle;
import io.tessera.GetTimeoutException;
import io.tessera.InfeasibleTaskException;
import io.tessera.ObjectLostException;
import io.tessera.ObjectRef;
import io.tessera.TaskCancelledException;
import io.tessera.TaskContext;
import io.tessera.TaskException;
import io.tessera.Tessera;
import io.tessera.WaitResult;
import io.tessera.nativetests.conformance.ConformanceJobs.Broken;
import io.tessera.nativetests.conformance.ConformanceJobs.Counter;
import io.tessera.nativetests.conformance.ConformanceJobs.Holder;
import io.tessera.nativetests.conformance.ConformanceJobs.Payload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The public API's behaviour (../shared/API.md), written once and run unchanged against every
 * target: an embedded node ({@link EmbeddedConformanceTest}) and a driver joined to a real head + 2
 * node JVMs, where every task and actor runs in another process ({@link ClusterConformanceTest}).
 * <p>
 * Both targets offer the custom resources {@code pin-a} and {@code pin-b} (two distinct nodes on a
 * cluster; the one embedded node otherwise), so a test can place work the same way on both.
 */
@Timeout(180)
abstract class ApiConformance
{
    /** Large enough to go through the object store on every path (Ray's inline limit is 100 KiB). */
    static final int LARGE = 4 << 20;

    /** CPUs of the node that tasks asking for {@code pin-a} run on. */
    abstract int pinnedCpus();

    static String uniqueName(String prefix)
    {
        return prefix + "-" + UUID.randomUUID();
    }

    static void collectGarbage() throws InterruptedException
    {
        for (int i = 0; i < 5; i++)
        {
            System.gc();
            Thread.sleep(50);
        }
    }

    // ------------------------------------------------------------------ tasks

    @Test
    void taskReturnsItsValue()
    {
        assertEquals(16, Tessera.task(ConformanceJobs::square, 4).remote().get());
    }

    @Test
    void getOfAListKeepsItsOrder()
    {
        final List<ObjectRef<Integer>> refs = new ArrayList<>();
        for (int i = 0; i < 50; i++)
        {
            refs.add(Tessera.task(ConformanceJobs::square, i).remote());
        }
        final List<Integer> values = Tessera.get(refs);
        for (int i = 0; i < 50; i++)
        {
            assertEquals(i * i, values.get(i));
        }
    }

    @Test
    void getWithATimeoutThrowsWhenNotReady()
    {
        final ObjectRef<Integer> slow = Tessera.task(ConformanceJobs::sleepThen, 2_000L, 1).remote();
        assertThrows(GetTimeoutException.class, () -> Tessera.get(slow, Duration.ofMillis(10)));
        assertEquals(1, slow.get());
    }

    @Test
    void refArgumentsAreResolvedBeforeTheCall()
    {
        final ObjectRef<Integer> a = Tessera.task(ConformanceJobs::square, 3).remote();
        final ObjectRef<Integer> b = Tessera.task(ConformanceJobs::add, a, 1).remote();
        final ObjectRef<Integer> c = Tessera.task(ConformanceJobs::add, a, b).remote();
        assertEquals(19, c.get());
    }

    @Test
    void voidTasksAndNullValuesWork()
    {
        assertNull(Tessera.task(ConformanceJobs::nothing).remote().get());
        assertEquals("null", Tessera.task(ConformanceJobs::describeNull, (Object) null).remote().get());
        final ObjectRef<String> nothing = Tessera.put(null);
        assertNull(nothing.get());
    }

    @Test
    void capturingLambdasCarryTheirState()
    {
        final int base = 41;
        assertEquals(42, Tessera.task(() -> base + 1).remote().get());
    }

    @Test
    void nestedTasksRunAndTheirParentGetsTheResults()
    {
        assertEquals(285, Tessera.task(ConformanceJobs::fanOut, 10).remote().get());
    }

    @Test
    void taskExceptionsKeepTheirTypeAndMessage()
    {
        final TaskException e = assertThrows(TaskException.class,
            () -> Tessera.task(ConformanceJobs::fail, "boom").remote().get());
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals("boom", e.getCause().getMessage());
        final TaskException checked = assertThrows(TaskException.class,
            () -> Tessera.task(ConformanceJobs::failChecked, "io").remote().get());
        assertInstanceOf(java.io.IOException.class, checked.getCause());
    }

    @Test
    void getOfAListFailsAsSoonAsOneFails()
    {
        final ObjectRef<Integer> slow = Tessera.task(ConformanceJobs::sleepThen, 5_000L, 1).remote();
        final ObjectRef<Integer> bad = Tessera.task(ConformanceJobs::fail, "first").remote();
        final long start = System.nanoTime();
        assertThrows(TaskException.class, () -> Tessera.get(List.of(slow, bad)));
        assertTrue(System.nanoTime() - start < 4_000_000_000L, "failed before the slow task finished");
        releaseCpu(slow);
    }

    /** Cancels a task a test left running, so that the next test finds every CPU free. */
    static void releaseCpu(ObjectRef<?> running)
    {
        Tessera.cancel(running);
        try
        {
            Thread.sleep(200);
        }
        catch (InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void applicationExceptionsAreRetriedOnlyWhenAsked()
    {
        final String name = uniqueName("attempts");
        final ActorHandle<Counter> counter = Tessera.actor(Counter::new).options(o -> o.name(name)).remote();
        assertThrows(TaskException.class, () -> Tessera.task(ConformanceJobs::flaky, name, 1).remote().get());
        assertEquals(1, counter.task(Counter::get).remote().get(), "not retried by default");
        assertEquals("succeeded on attempt 4",
            Tessera.task(ConformanceJobs::flaky, name, 3).options(o -> o.retryExceptions(true).maxRetries(3)).remote().get());
        counter.kill();
    }

    @Test
    void infeasibleRequestsFailFastNamingTheResource()
    {
        final InfeasibleTaskException e = assertThrows(InfeasibleTaskException.class,
            () -> Tessera.task(ConformanceJobs::square, 2).options(o -> o.resource("unicorn", 1)).remote().get());
        assertTrue(e.getMessage().contains("unicorn"), e.getMessage());
        assertThrows(InfeasibleTaskException.class,
            () -> Tessera.task(ConformanceJobs::square, 2).options(o -> o.cpus(10_000)).remote().get());
    }

    /**
     * The seeds' first example with default options over all CPUs of the target: N equal tasks on C
     * CPUs take ceil(N/C) task-times, plus {@link #placementSlackWaves()} where several nodes share them.
     */
    @Test
    void queuedTasksUseEveryCpuAsItFrees()
    {
        checkWaves(totalCpus(), false, placementSlackWaves());
    }

    /** The same on one node, with per-call options: exact, on every target. */
    @Test
    void queuedTasksOnOneNodeUseEveryCpuAsItFrees()
    {
        checkWaves(pinnedCpus(), true, 0);
    }

    /** CPUs of the whole target. */
    abstract int totalCpus();

    /**
     * Waves a target may add to ceil(N/C) for tasks spread over several nodes: placement works from
     * heartbeats and may give one node a task more than another (no work stealing between nodes, as in
     * Ray); on one node the count is exact.
     */
    abstract int placementSlackWaves();

    private static void checkWaves(int cpus, boolean pinned, int slackWaves)
    {
        final int n = 4 * cpus;
        final long taskMs = 500;
        for (int round = 0; round < 2; round++)
        {
            final List<ObjectRef<long[]>> refs = new ArrayList<>();
            for (int i = 0; i < n; i++)
            {
                refs.add(pinned ? Tessera.task(ConformanceJobs::timed, taskMs).options(o -> o.resource("pin-a", 0.001)).remote()
                    : Tessera.task(ConformanceJobs::timed, taskMs).remote());
            }
            final List<long[]> spans = Tessera.get(refs);
            long first = Long.MAX_VALUE;
            long last = 0;
            for (long[] s : spans)
            {
                first = Math.min(first, s[0]);
                last = Math.max(last, s[1]);
            }
            final int overlap = maxOverlap(spans);
            assertEquals(cpus, overlap, "round " + round + ": tasks running at once on " + cpus + " CPUs");
            final long waves = (n + cpus - 1) / cpus + slackWaves;
            assertTrue(last - first < (waves + 0.6) * taskMs,
                "round " + round + ": " + n + " tasks of " + taskMs + " ms on " + cpus + " CPUs took " + (last - first)
                    + " ms; " + waves + " waves = " + waves * taskMs + " ms");
        }
    }

    private static int maxOverlap(List<long[]> spans)
    {
        int best = 0;
        for (long[] s : spans)
        {
            int at = 0;
            for (long[] o : spans)
            {
                if (o[0] <= s[0] && s[0] < o[1])
                {
                    at++;
                }
            }
            best = Math.max(best, at);
        }
        return best;
    }

    // ------------------------------------------------------------------ large and raw arguments

    @Test
    void largeByValueArgumentsReachTheTask()
    {
        final byte[] big = ConformanceJobs.pattern(LARGE, 1);
        assertEquals(ConformanceJobs.crc(big), Tessera.task(ConformanceJobs::crc, big).remote().get());
        final ArrayList<String> strings = new ArrayList<>();
        for (int i = 0; i < 100_000; i++)
        {
            strings.add("value-" + i);
        }
        final long expected = strings.stream().mapToLong(String::length).sum();
        assertEquals(expected, Tessera.task(ConformanceJobs::totalLength, strings).remote().get());
        final Payload record = new Payload("p", new int[1 << 20]);
        assertEquals((1 << 20) + 1, Tessera.task(ConformanceJobs::sizeOfRecord, record).remote().get());
    }

    /** Many calls whose argument travels through the store (the node pulls it while the task is being submitted there). */
    @Test
    void manyCallsWithStoredArgumentsNeverHang()
    {
        final byte[] arg = ConformanceJobs.pattern(128 << 10, 3);
        final long crc = ConformanceJobs.crc(arg);
        for (int i = 0; i < 3_000; i++)
        {
            assertEquals(crc, Tessera.task(ConformanceJobs::crc, arg).remote().get(Duration.ofSeconds(20)), "call " + i);
        }
    }

    @Test
    void largeResultsComeBack()
    {
        final byte[] made = Tessera.task(ConformanceJobs::pattern, LARGE, 5).remote().get();
        assertArrayEquals(ConformanceJobs.pattern(LARGE, 5), made);
    }

    @Test
    void buffersAndSegmentsTravelAsRawBytes()
    {
        final ByteBuffer small = ByteBuffer.wrap(ConformanceJobs.pattern(1000, 9));
        small.position(10);
        final byte[] expected = Arrays.copyOfRange(ConformanceJobs.pattern(1000, 9), 10, 1000);
        assertEquals(990 + ":" + ConformanceJobs.crc(expected), Tessera.task(ConformanceJobs::bufferInfo, small).remote().get());
        assertEquals(10, small.position(), "the caller's buffer is left as it was");
        final ByteBuffer large = ByteBuffer.wrap(ConformanceJobs.pattern(LARGE, 2));
        assertEquals(LARGE + ":" + ConformanceJobs.crc(ConformanceJobs.pattern(LARGE, 2)),
            Tessera.task(ConformanceJobs::bufferInfo, large).remote().get());
        final MemorySegment seg = MemorySegment.ofArray(ConformanceJobs.pattern(5000, 4));
        assertEquals(5000 + ":" + ConformanceJobs.crc(ConformanceJobs.pattern(5000, 4)),
            Tessera.task(ConformanceJobs::segmentInfo, seg).remote().get());
        final ByteBuffer back = Tessera.task(ConformanceJobs::bufferOf, 777).remote().get();
        assertTrue(back.isReadOnly());
        final byte[] got = new byte[back.remaining()];
        back.get(got);
        assertArrayEquals(ConformanceJobs.pattern(777, 3), got);
    }

    @Test
    void argumentsThatCannotBeSentAreRefusedNamingTheirType()
    {
        final Object notSerializable = new Object();
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Tessera.task(ConformanceJobs::describeNull, notSerializable).remote());
        assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
        assertEquals(16, Tessera.task(ConformanceJobs::square, 4).remote().get(), "nothing broken after the refusal");
    }

    // ------------------------------------------------------------------ actors

    @Test
    void actorMethodsRunInCallOrderAndKeepState()
    {
        final ActorHandle<Counter> c = Tessera.actor(Counter::new, 10).remote();
        final List<ObjectRef<Integer>> refs = new ArrayList<>();
        for (int i = 1; i <= 20; i++)
        {
            refs.add(c.task(Counter::add, 1).remote());
        }
        final List<Integer> values = Tessera.get(refs);
        for (int i = 0; i < 20; i++)
        {
            assertEquals(11 + i, values.get(i));
        }
        c.kill();
    }

    @Test
    void actorMethodExceptionsLeaveTheActorAlive()
    {
        final ActorHandle<Counter> c = Tessera.actor(Counter::new, 3).remote();
        final TaskException e = assertThrows(TaskException.class, () -> c.task(Counter::failIf, true).remote().get());
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        assertEquals(3, c.task(Counter::failIf, false).remote().get());
        c.kill();
    }

    @Test
    void aThrowingConstructorFailsEveryCall()
    {
        final ActorHandle<Broken> b = Tessera.actor(Broken::new, "no way").remote();
        final ActorDiedException e = assertThrows(ActorDiedException.class, () -> b.task(Broken::get).remote().get());
        assertTrue(String.valueOf(e.getMessage()).contains("no way") || String.valueOf(e.getCause()).contains("no way"), e.toString());
    }

    @Test
    void killedActorsFailLaterCalls()
    {
        final ActorHandle<Counter> c = Tessera.actor(Counter::new).remote();
        assertEquals(1, c.task(Counter::add, 1).remote().get());
        c.kill();
        assertThrows(ActorDiedException.class, () -> c.task(Counter::add, 1).remote().get());
    }

    @Test
    void namedActorsAreFoundUniqueAndFreedByKill()
    {
        final String name = uniqueName("named");
        final ActorHandle<Counter> c = Tessera.actor(Counter::new, 5).options(o -> o.name(name)).remote();
        final ActorHandle<Counter> found = Tessera.getActor(name, Counter.class).orElseThrow();
        assertEquals(6, found.task(Counter::add, 1).remote().get());
        assertThrows(IllegalArgumentException.class, () -> Tessera.actor(Counter::new).options(o -> o.name(name)).remote());
        c.kill();
        final ActorHandle<Counter> again = Tessera.actor(Counter::new, 1).options(o -> o.name(name)).remote();
        assertEquals(1, again.task(Counter::get).remote().get());
        again.kill();
        assertTrue(Tessera.getActor(uniqueName("missing"), Counter.class).isEmpty());
    }

    @Test
    void actorHandlesCanBePassedToTasks()
    {
        final ActorHandle<Counter> c = Tessera.actor(Counter::new, 100).remote();
        assertEquals(105, Tessera.task(ConformanceJobs::callCounter, c, 5).remote().get());
        assertEquals(105, c.task(Counter::get).remote().get());
        c.kill();
    }

    @Test
    void largeActorArgumentsAndResultsNeverHang()
    {
        final byte[] big = ConformanceJobs.pattern(2 << 20, 6);
        final ActorHandle<Counter> c = Tessera.actor(Counter::new).remote();
        assertEquals(ConformanceJobs.crc(big), c.task(Counter::crcOf, big).remote().get(Duration.ofSeconds(60)));
        assertEquals(1, c.task(Counter::get).remote().get(Duration.ofSeconds(60)), "calls queued behind keep working");
        final byte[] reply = c.task(Counter::bigReply, LARGE).remote().get(Duration.ofSeconds(60));
        assertArrayEquals(ConformanceJobs.pattern(LARGE, 1), reply);
        c.kill();
        final ActorHandle<Holder> h = Tessera.actor(Holder::new, big).remote();
        assertEquals(ConformanceJobs.crc(big), h.task(Holder::crc).remote().get(Duration.ofSeconds(60)));
        h.kill();
    }

    // ------------------------------------------------------------------ objects

    @Test
    void putAndGetKeepValues()
    {
        assertArrayEquals(new double[] {1.5, 2.5}, Tessera.put(new double[] {1.5, 2.5}).get());
        assertEquals("text", Tessera.put("text").get());
        final Payload p = Tessera.put(new Payload("x", new int[] {1, 2, 3})).get();
        assertEquals("x", p.name());
        assertArrayEquals(new int[] {1, 2, 3}, p.data());
        final ObjectRef<byte[]> big = Tessera.put(ConformanceJobs.pattern(LARGE, 8));
        assertEquals(ConformanceJobs.crc(ConformanceJobs.pattern(LARGE, 8)), Tessera.task(ConformanceJobs::crc, big).remote().get());
    }

    @Test
    void segmentsAreTheRawElementsInNativeOrder()
    {
        final ObjectRef<double[]> r = Tessera.put(new double[] {1.0, -2.0, 3.5});
        final MemorySegment s = Tessera.getSegment(r);
        assertEquals(24, s.byteSize());
        assertEquals(-2.0, s.get(ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.nativeOrder()), 8));
        assertTrue(s.isReadOnly());
        final ObjectRef<MemorySegment> made = Tessera.task(ConformanceJobs::segmentPattern, 1L << 20).remote();
        final MemorySegment view = Tessera.getSegment(made);
        assertEquals(1L << 20, view.byteSize());
        assertEquals((byte) (1000 * 31 + 7), view.get(ValueLayout.JAVA_BYTE, 1000));
    }

    @Test
    void freedObjectsFailFast()
    {
        final ObjectRef<byte[]> r = Tessera.put(ConformanceJobs.pattern(1 << 20, 1));
        Tessera.free(r);
        assertThrows(ObjectLostException.class, r::get);
        assertThrows(ObjectLostException.class, () -> Tessera.getSegment(r));
        final ObjectRef<Integer> result = Tessera.task(ConformanceJobs::square, 3).remote();
        result.get();
        Tessera.free(result);
        assertThrows(ObjectLostException.class, result::get);
    }

    @Test
    void waitReturnsTheFirstReadyInInputOrder()
    {
        final ObjectRef<Integer> slow = Tessera.task(ConformanceJobs::sleepThen, 3_000L, 1).remote();
        final ObjectRef<Integer> fast1 = Tessera.task(ConformanceJobs::square, 2).remote();
        final ObjectRef<Integer> fast2 = Tessera.task(ConformanceJobs::square, 3).remote();
        fast1.get();
        fast2.get();
        final WaitResult<Integer> w = Tessera.wait(List.of(slow, fast1, fast2), 2, Duration.ofSeconds(2));
        assertEquals(List.of(fast1, fast2), w.ready());
        assertEquals(List.of(slow), w.notReady());
        final WaitResult<Integer> timedOut = Tessera.wait(List.of(slow), 1, Duration.ofMillis(20));
        assertTrue(timedOut.ready().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> Tessera.wait(List.of(slow), 2, Duration.ofMillis(1)));
        releaseCpu(slow);
    }

    /** Ray's contained-in rule: an object that holds refs keeps them alive as long as it lives. */
    @Test
    void refsStoredInsideObjectsKeepTheirObjectsAlive() throws InterruptedException
    {
        ObjectRef<String> inner = Tessera.put("inner");
        final ObjectRef<ObjectRef<String>> outer = Tessera.put(inner);
        inner = null;
        collectGarbage();
        assertEquals("inner", outer.get().get());
        assertEquals("inner", Tessera.task(ConformanceJobs::readOuter, List.of(outer)).remote().get());
        final ActorHandle<Counter> reader = Tessera.actor(Counter::new).remote();
        assertEquals("inner", reader.task(Counter::readOuter, List.of(outer)).remote().get());
        reader.kill();
    }

    @Test
    void refsInsideObjectsSurviveStorePressure() throws InterruptedException
    {
        final byte[] data = ConformanceJobs.pattern(16 << 20, 11);
        ObjectRef<byte[]> inner = Tessera.put(data);
        final ObjectRef<List<ObjectRef<byte[]>>> outer = Tessera.put(List.of(inner));
        inner = null;
        collectGarbage();
        // 1 GiB of objects that stay referenced through a 256 MiB store: primaries are spilled, the inner one too
        final List<ObjectRef<byte[]>> live = new ArrayList<>();
        final byte[] filler = new byte[16 << 20];
        for (int i = 0; i < 64; i++)
        {
            live.add(Tessera.put(filler));
        }
        assertEquals(List.of(ConformanceJobs.crc(data)), Tessera.task(ConformanceJobs::crcsOfInner, outer.get()).remote().get());
        assertArrayEquals(data, outer.get().get(0).get());
        live.forEach(Tessera::free);
    }

    @Test
    void concurrentReadsOfABorrowedObjectShareOneFetch()
    {
        final ObjectRef<byte[]> made = Tessera.task(ConformanceJobs::pattern, LARGE, 12).options(o -> o.resource("pin-a", 0.001)).remote();
        final String expected = LARGE + ":" + ConformanceJobs.crc(ConformanceJobs.pattern(LARGE, 12));
        made.get(Duration.ofSeconds(60));
        final List<ObjectRef<String>> reads = new ArrayList<>();
        for (int i = 0; i < 8; i++)
        {
            reads.add(Tessera.task(ConformanceJobs::segmentOfNested, List.of(made)).options(o -> o.resource("pin-b", 0.001)).remote());
        }
        for (String r : Tessera.get(reads))
        {
            assertEquals(expected, r);
        }
    }

    // ------------------------------------------------------------------ cancel

    @Test
    void cancellingAQueuedTaskRemovesIt() throws InterruptedException
    {
        final String name = uniqueName("ran");
        final ActorHandle<Counter> marks = Tessera.actor(Counter::new).options(o -> o.name(name)).remote();
        final List<ObjectRef<Integer>> blockers = new ArrayList<>();
        for (int i = 0; i < pinnedCpus(); i++)
        {
            blockers.add(Tessera.task(ConformanceJobs::sleepThen, 2_000L, i).options(o -> o.resource("pin-a", 0.001)).remote());
        }
        Thread.sleep(300);
        final ObjectRef<Integer> queued = Tessera.task(ConformanceJobs::mark, name).options(o -> o.resource("pin-a", 0.001)).remote();
        Thread.sleep(200);
        Tessera.cancel(queued);
        final long start = System.nanoTime();
        assertThrows(TaskCancelledException.class, () -> queued.get(Duration.ofSeconds(30)));
        assertTrue(System.nanoTime() - start < 1_000_000_000L, "cancel is prompt, not after the blockers");
        Tessera.get(blockers);
        Thread.sleep(500);
        assertEquals(0, marks.task(Counter::get).remote().get(), "the cancelled task never ran");
        marks.kill();
    }

    @Test
    void cancellingARunningTaskInterruptsIt() throws InterruptedException
    {
        final ObjectRef<Integer> running = Tessera.task(ConformanceJobs::sleepThen, 60_000L, 1).remote();
        Thread.sleep(500);
        Tessera.cancel(running);
        final long start = System.nanoTime();
        assertThrows(TaskCancelledException.class, () -> running.get(Duration.ofSeconds(30)));
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "cancel is prompt");
    }

    @Test
    void cancellingAFinishedTaskChangesNothing()
    {
        final ObjectRef<Integer> done = Tessera.task(ConformanceJobs::square, 5).remote();
        assertEquals(25, done.get());
        Tessera.cancel(done);
        assertEquals(25, done.get());
    }

    @Test
    void cancellingAQueuedActorCallRemovesIt()
    {
        final ActorHandle<Counter> c = Tessera.actor(Counter::new).remote();
        final ObjectRef<Integer> busy = c.task(Counter::sleepThenGet, 1_500L).remote();
        final ObjectRef<Integer> queued = c.task(Counter::add, 1).remote();
        Tessera.cancel(queued);
        assertThrows(TaskCancelledException.class, () -> queued.get(Duration.ofSeconds(30)));
        assertEquals(0, busy.get());
        assertEquals(0, c.task(Counter::get).remote().get(), "the cancelled call never ran");
        c.kill();
    }

    // ------------------------------------------------------------------ context

    @Test
    void taskContextDescribesTheDriverOutsideTasks()
    {
        final TaskContext ctx = TaskContext.current();
        assertTrue(ctx.isDriver());
        assertEquals(0, ctx.gpuIds().length);
        final String node = Tessera.task(ConformanceJobs::nodeId).remote().get();
        assertFalse(node == null || node.isEmpty());
    }
}
