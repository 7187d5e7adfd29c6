package io.tessera.nativetests.cluster;

import io.tessera.ActorHandle;
import io.tessera.Tessera;
import io.tessera.TesseraConfig;

/** A second driver process: finds the named actor "shared" of namespace "fault" and adds 7. */
public final class SecondDriver
{
    private SecondDriver()
    {
    }

    public static void main(String[] args)
    {
        Tessera.init(TesseraConfig.builder().address(args[0]).token(ClusterFixture.TOKEN).objectStoreBytes(64L << 20).build());
        try
        {
            final ActorHandle<Jobs.Counter> c = Tessera.getActor("shared", "fault", Jobs.Counter.class).orElseThrow();
            System.out.println("second driver: " + c.task(Jobs.Counter::add, 7L).remote().get());
        }
        finally
        {
            Tessera.shutdown();
        }
    }
}
