package io.tessera.nativetests.cluster;

import io.tessera.ActorHandle;
import io.tessera.Tessera;

import java.nio.file.Path;

/**
 * A driver program submitted through the jobs API ({@link ClusterJobsTest}): joins the cluster the
 * head names in TESSERA_ADDRESS with zero configuration.
 * <pre>
 * ok            a task and an actor, prints their results, its working directory and $GREETING
 * fail          main throws
 * long NAME     a named actor NAME, prints "long job ready", then runs until stopped
 * </pre>
 */
public final class JobApp
{
    private JobApp()
    {
    }

    public static void main(String[] args) throws Exception
    {
        if (args[0].equals("fail"))
        {
            System.out.println("job app about to fail");
            throw new IllegalStateException("job app failed on purpose");
        }
        Tessera.init();
        try
        {
            if (args[0].equals("ok"))
            {
                final long task = Tessera.task(Jobs::plusOne, 41L).remote().get();
                final ActorHandle<Jobs.Counter> counter = Tessera.actor(Jobs.Counter::new, 10L).remote();
                final long actor = counter.task(Jobs.Counter::add, 5L).remote().get();
                System.out.println("job app: task " + task + ", actor " + actor + ", greeting " + System.getenv("GREETING")
                    + ", cwd " + Path.of("").toAbsolutePath());
                return;
            }
            final ActorHandle<Jobs.Counter> counter = Tessera.actor(Jobs.Counter::new, 0L).options(o -> o.name(args[1])).remote();
            System.out.println("long job ready: " + counter.task(Jobs.Counter::add, 1L).remote().get());
            while (true)
            {
                Thread.sleep(1000);
            }
        }
        finally
        {
            Tessera.shutdown();
        }
    }
}
