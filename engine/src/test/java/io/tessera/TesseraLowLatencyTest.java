package io.tessera;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static io.tessera.testing.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The low-latency mode ({@link TesseraConfig.Builder#lowLatency(boolean)}, issue #15 goal 2): busy-spinning
 * scheduler threads pinned to cores, a driver's {@code get} spinning on its result. Everything the default
 * mode does still works: results, timeouts, interrupts, nested tasks (whose parent parks in {@code get}).
 */
@Timeout(60)
class TesseraLowLatencyTest
{
    private static final CountDownLatch NEVER = new CountDownLatch(1);

    static int twice(int x)
    {
        return 2 * x;
    }

    static int sumOfChildren(int n)
    {
        final List<ObjectRef<Integer>> children = new ArrayList<>();
        for (int i = 0; i < n; i++)
        {
            children.add(Tessera.task(TesseraLowLatencyTest::twice, i).remote());
        }
        int sum = 0;
        for (ObjectRef<Integer> c : children)
        {
            sum += c.get();
        }
        return sum;
    }

    static int waitForever(int x) throws InterruptedException
    {
        NEVER.await();
        return x;
    }

    @AfterEach
    void shutdown()
    {
        if (Tessera.isInitialized())
        {
            Tessera.shutdown();
        }
    }

    private static void initLowLatency()
    {
        Tessera.init(TesseraConfig.builder().cpus(2).objectStoreBytes(16L << 20).lowLatency(true).pinThreads(true).build());
    }

    @Test
    void shouldRunTasksAndNestedTasksWhenBusySpinning()
    {
        initLowLatency();
        for (int i = 0; i < 1_000; i++)
        {
            assertEquals(2 * i, Tessera.task(TesseraLowLatencyTest::twice, i).remote().get());
        }
        assertEquals(90, Tessera.task(TesseraLowLatencyTest::sumOfChildren, 10).remote().get());
    }

    @Test
    void shouldTimeOutASpinningGet()
    {
        initLowLatency();
        final ObjectRef<Integer> never = Tessera.task(TesseraLowLatencyTest::waitForever, 1).remote();
        assertThrows(GetTimeoutException.class, () -> never.get(Duration.ofMillis(50)));
        Tessera.cancel(never);
    }

    @Test
    void shouldEndASpinningGetWhenTheDriverThreadIsInterrupted() throws Exception
    {
        initLowLatency();
        final ObjectRef<Integer> never = Tessera.task(TesseraLowLatencyTest::waitForever, 1).remote();
        final AtomicReference<Throwable> thrown = new AtomicReference<>();
        final Thread driver = new Thread(() ->
        {
            try
            {
                never.get();
            }
            catch (Throwable t)
            {
                thrown.set(t);
            }
        });
        driver.start();
        until("the driver thread spins in get", () -> driver.getState() == Thread.State.RUNNABLE);
        driver.interrupt();
        driver.join();
        assertInstanceOf(TaskCancelledException.class, thrown.get());
        Tessera.cancel(never);
    }

    @Test
    void shouldReadTheModeFromTheBuilderOrTheProperties()
    {
        assertFalse(TesseraConfig.builder().build().lowLatency(), "off by default");
        assertFalse(TesseraConfig.builder().build().pinThreads(), "off by default");
        System.setProperty("tessera.lowLatency", "true");
        try
        {
            assertTrue(TesseraConfig.builder().build().lowLatency());
            assertFalse(TesseraConfig.builder().lowLatency(false).build().lowLatency(), "the builder wins");
            System.setProperty("tessera.lowLatency", "fast");
            final IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> TesseraConfig.builder().build());
            assertTrue(bad.getMessage().contains("'fast'"), bad.getMessage());
        }
        finally
        {
            System.clearProperty("tessera.lowLatency");
        }
    }
}
