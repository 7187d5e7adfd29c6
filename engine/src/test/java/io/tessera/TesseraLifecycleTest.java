package io.tessera;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Set;

import static io.tessera.testing.Await.untilAsserted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Chronicle-style hygiene: a node that was used and shut down leaves no threads behind (the one
 * process-wide {@code tessera-cleaner} thread excepted).
 */
@Timeout(60)
class TesseraLifecycleTest
{
    static int twice(int x)
    {
        return 2 * x;
    }

    public static final class Box
    {
        private int v;

        public int set(int x)
        {
            v = x;
            return v;
        }
    }

    private static List<String> tesseraThreads()
    {
        final Set<Thread> all = Thread.getAllStackTraces().keySet();
        return all.stream().filter(Thread::isAlive).map(Thread::getName)
            .filter(n -> n.startsWith("tessera-") && !n.equals("tessera-cleaner") || n.startsWith("Cleaner-"))
            .sorted().toList();
    }

    @Test
    void shouldLeaveNoThreadsBehindAfterShutdown() throws Exception
    {
        for (int round = 0; round < 3; round++)
        {
            Tessera.init(TesseraConfig.builder().cpus(2).objectStoreBytes(16L << 20).build());
            assertEquals(8, Tessera.task(TesseraLifecycleTest::twice, 4).remote().get());
            final ActorHandle<Box> box = Tessera.actor(Box::new).remote();
            assertEquals(3, box.task(Box::set, 3).remote().get());
            assertTrue(Tessera.put(new byte[1 << 20]).get().length > 0);
            Tessera.shutdown();
        }
        untilAsserted("every tessera thread ends", () -> assertEquals(List.of(), tesseraThreads()));
    }
}
