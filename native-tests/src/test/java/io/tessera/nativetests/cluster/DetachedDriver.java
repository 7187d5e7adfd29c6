package io.tessera.nativetests.cluster;

import io.tessera.ActorDiedException;
import io.tessera.ActorHandle;
import io.tessera.ActorLifetime;
import io.tessera.Tessera;
import io.tessera.TesseraConfig;

import java.util.Optional;

/**
 * A driver of namespace "ns" (see {@code ClusterLifeTest}). {@code create}: makes the detached actor "keeper" (10, then
 * adds 1) and the ordinary actor "temp", and exits. {@code use}: finds "keeper" by name, adds 5 (16), checks that a
 * large (stored) result arrives, that "temp" died with its job and that the name is not seen from other namespaces,
 * kills "keeper" and checks that it is gone. Exits non-zero when a check fails.
 */
public final class DetachedDriver
{
    private DetachedDriver()
    {
    }

    public static void main(String[] args) throws Exception
    {
        Tessera.init(TesseraConfig.builder().address(args[0]).namespace("ns").objectStoreBytes(64L << 20).build());
        try
        {
            if (args[1].equals("create"))
            {
                final ActorHandle<Jobs.Counter> keeper = Tessera.actor(Jobs.Counter::new, 10L)
                    .options(o -> o.name("keeper").lifetime(ActorLifetime.DETACHED).resource("home", 1)).remote();
                check(keeper.task(Jobs.Counter::add, 1L).remote().get() == 11L, "keeper counts from 10");
                final ActorHandle<Jobs.Counter> temp = Tessera.actor(Jobs.Counter::new, 0L)
                    .options(o -> o.name("temp").resource("home", 1)).remote();
                check(temp.task(Jobs.Counter::add, 1L).remote().get() == 1L, "temp runs");
                System.out.println("driver 1: created keeper and temp in namespace ns");
                return;
            }
            final ActorHandle<Jobs.Counter> keeper = Tessera.getActor("keeper", Jobs.Counter.class)
                .orElseThrow(() -> new AssertionError("the detached actor 'keeper' is not found in namespace ns"));
            final long v = keeper.task(Jobs.Counter::add, 5L).remote().get();
            check(v == 16L, "the detached actor kept its state from driver 1: expected 16, got " + v);
            final double[] big = keeper.task(Jobs.Counter::values, 100_000).remote().get();
            check(big.length == 100_000 && big[99_999] == 16.0, "a large result of the ended job's detached actor arrives");
            check(Tessera.getActor("keeper", "ns", Jobs.Counter.class).isPresent(), "found with the namespace given");
            check(Tessera.getActor("keeper", "other", Jobs.Counter.class).isEmpty(), "another namespace does not see it");
            check(until(() -> Tessera.getActor("temp", Jobs.Counter.class)), "driver 1's non-detached actor 'temp' is still named");
            keeper.kill();
            check(until(() -> Tessera.getActor("keeper", Jobs.Counter.class)), "the killed detached actor is still named");
            try
            {
                keeper.task(Jobs.Counter::value).remote().get();
                check(false, "a call on the killed detached actor succeeded");
            }
            catch (ActorDiedException expected)
            {
                System.out.println("driver 2: keeper was 16, killed: " + expected.getMessage());
            }
        }
        finally
        {
            Tessera.shutdown();
        }
    }

    /** Whether the lookup comes back empty within 20 s (names go asynchronously, after the node reports the death). */
    private static boolean until(java.util.function.Supplier<Optional<?>> lookup) throws InterruptedException
    {
        final long deadline = System.nanoTime() + 20_000_000_000L;
        while (lookup.get().isPresent())
        {
            if (System.nanoTime() > deadline)
            {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    private static void check(boolean ok, String what)
    {
        if (!ok)
        {
            throw new AssertionError(what);
        }
    }
}
