package io.tessera;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Capacity: a million queued tasks fit in the heap the tests run with (-Xmx2g, below the JVM default here). */
@Timeout(120)
class TesseraCapacityTest
{
    static final CountDownLatch GATE = new CountDownLatch(1);

    @BeforeEach
    void start()
    {
        Tessera.init(TesseraConfig.builder().cpus(1).objectStoreBytes(16L << 20).build());
    }

    @AfterEach
    void stop()
    {
        Tessera.shutdown();
    }

    static int gate() throws InterruptedException
    {
        GATE.await();
        return 0;
    }

    static int inc(int x)
    {
        return x + 1;
    }

    static String threadName()
    {
        return Thread.currentThread().getName();
    }

    static String parentAndChildThreads()
    {
        final ObjectRef<String> child = Tessera.task(TesseraCapacityTest::threadName).remote();
        return threadName() + "|" + child.get();
    }

    @Test
    void shouldRunAQueuedChildInlineWhenItsParentBlocksOnIt()
    {
        // one CPU, held by the parent: the child cannot start elsewhere, so the parent runs it itself
        final String[] threads = Tessera.task(TesseraCapacityTest::parentAndChildThreads).remote().get().split("\\|");
        assertEquals(threads[0], threads[1]);
    }

    @Test
    void shouldQueueAMillionTasksBehindABusyCpuAndRunThemAll()
    {
        final ObjectRef<Integer> blocker = Tessera.task(TesseraCapacityTest::gate).remote();
        final int n = 1_000_000;
        @SuppressWarnings("unchecked")
        final ObjectRef<Integer>[] refs = new ObjectRef[n];
        for (int i = 0; i < n; i++)
        {
            refs[i] = Tessera.task(TesseraCapacityTest::inc, i).remote();
        }
        GATE.countDown();
        assertEquals(0, blocker.get());
        long sum = 0;
        for (ObjectRef<Integer> r : refs)
        {
            sum += r.get();
        }
        assertEquals((long) n * (n + 1) / 2, sum);
    }
}
