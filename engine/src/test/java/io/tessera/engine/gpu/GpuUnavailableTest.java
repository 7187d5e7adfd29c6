package io.tessera.engine.gpu;

import io.tessera.ActorDiedException;
import io.tessera.ActorHandle;
import io.tessera.InfeasibleTaskException;
import io.tessera.Resources;
import io.tessera.TaskContext;
import io.tessera.Tessera;
import io.tessera.TesseraConfig;
import io.tessera.gpu.Cuda;
import io.tessera.internal.LocalRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A node without GPUs (none found, or {@code gpus(0)} configured): GPU requests fail fast. Runs everywhere. */
@Timeout(60)
class GpuUnavailableTest
{
    @AfterEach
    void stop()
    {
        Tessera.shutdown();
    }

    @Resources(gpus = 1)
    static int needsGpu()
    {
        return 1;
    }

    static int gpuCount()
    {
        return TaskContext.current().gpuIds().length;
    }

    @Resources(gpus = 1)
    public static class GpuActor
    {
        public int ping()
        {
            return 1;
        }
    }

    private static void startWithoutGpus()
    {
        Tessera.init(TesseraConfig.builder().cpus(2).gpus(0).objectStoreBytes(16L << 20).build());
    }

    @Test
    void shouldFailWholeAndFractionalGpuRequestsFastWithInfeasibleTask()
    {
        startWithoutGpus();
        assertEquals(0.0, LocalRuntime.current().totalResources().get("GPU"));
        final InfeasibleTaskException annotated = assertThrows(InfeasibleTaskException.class,
            () -> Tessera.task(GpuUnavailableTest::needsGpu).remote());
        assertTrue(annotated.getMessage().contains("GPU"), annotated.getMessage());
        assertThrows(InfeasibleTaskException.class, () -> Tessera.task(GpuUnavailableTest::gpuCount).options(o -> o.gpus(1)).remote());
        assertThrows(InfeasibleTaskException.class, () -> Tessera.task(GpuUnavailableTest::gpuCount).options(o -> o.gpus(0.5)).remote());
        assertEquals(1, Tessera.task(GpuUnavailableTest::needsGpu).options(o -> o.gpus(0)).remote().get(),
            "options override the annotation");
        assertEquals(0, Tessera.task(GpuUnavailableTest::gpuCount).remote().get());
    }

    @Test
    void shouldKillGpuActorOnGpuLessNodeWithInfeasibleCause()
    {
        startWithoutGpus();
        final ActorHandle<GpuActor> a = Tessera.actor(GpuActor::new).remote();
        final ActorDiedException e = assertThrows(ActorDiedException.class, () -> a.task(GpuActor::ping).remote().get());
        assertInstanceOf(InfeasibleTaskException.class, e.getCause());
    }

    @Test
    void shouldStartWithNoGpusWhereCudaIsMissing()
    {
        org.junit.jupiter.api.Assumptions.assumeFalse(Cuda.isAvailable(), "this machine has a GPU");
        Tessera.init(TesseraConfig.builder().cpus(2).objectStoreBytes(16L << 20).build());
        assertEquals(0.0, LocalRuntime.current().totalResources().get("GPU"));
        assertTrue(LocalRuntime.current().totalResources().keySet().stream().noneMatch(k -> k.startsWith("accelerator:")));
        assertThrows(InfeasibleTaskException.class, () -> Tessera.task(GpuUnavailableTest::needsGpu).remote());
        assertEquals(0, TaskContext.current().gpuIds().length);
    }
}
