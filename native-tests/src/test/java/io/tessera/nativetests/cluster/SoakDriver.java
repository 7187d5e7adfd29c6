package io.tessera.nativetests.cluster;

import io.tessera.ActorHandle;
import io.tessera.ObjectRef;
import io.tessera.Tessera;
import io.tessera.TesseraConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * One short driver job for the cluster-life tests: puts objects, runs tasks whose large results stay
 * on the nodes, creates actors (one named), lends refs inside arguments, holds every ref, then
 * either shuts down ({@code exit}) or dies without a word ({@code crash}, as kill -9 would).
 * Arguments: head address, exit|crash, job number.
 */
public final class SoakDriver
{
    private SoakDriver()
    {
    }

    public static void main(String[] args) throws Exception
    {
        final int job = Integer.parseInt(args[2]);
        Tessera.init(TesseraConfig.builder().address(args[0]).token(ClusterFixture.TOKEN).objectStoreBytes(64L << 20).build());
        final List<Object> kept = new ArrayList<>();
        final List<ObjectRef<double[]>> puts = new ArrayList<>();
        for (int i = 0; i < 4; i++)
        {
            puts.add(Tessera.put(Jobs.bigResult(50_000, job + i)));
        }
        kept.add(puts);
        double total = 0;
        for (int i = 0; i < 6; i++)
        {
            // 2.4 MB each: held on the node that made it, for this driver
            final ObjectRef<double[]> big = Tessera.task(Jobs::bigResult, 300_000, (double) i).remote();
            kept.add(big);
            total += Tessera.task(Jobs::sum, big).remote().get();
        }
        // the node borrows the driver's objects through refs inside an argument
        total += Tessera.task(Jobs::sumBorrowed, List.copyOf(puts)).remote().get();
        long small = 0;
        for (int i = 0; i < 40; i++)
        {
            small += Tessera.task(Jobs::plusOne, (long) i).remote().get();
        }
        final ActorHandle<Jobs.Counter> a = Tessera.actor(Jobs.Counter::new, 0L).remote();
        final ActorHandle<Jobs.Counter> named = Tessera.actor(Jobs.Counter::new, 100L).options(o -> o.name("soak-" + job)).remote();
        kept.add(a);
        kept.add(named);
        for (int i = 0; i < 10; i++)
        {
            a.task(Jobs.Counter::add, 1L).remote().get();
        }
        named.task(Jobs.Counter::add, 1L).remote().get();
        // refs to objects a node put inside its task: the node owns them, this driver borrows them
        final List<ObjectRef<String>> fresh = Tessera.task(ContainedRefJobs::freshRefs, 3).remote().get();
        for (ObjectRef<String> r : fresh)
        {
            r.get();
        }
        kept.add(fresh);
        System.out.println("soak driver " + job + ": total " + total + ", small " + small + ", holding " + kept.size() + " refs");
        System.out.flush();
        if (args[1].equals("crash"))
        {
            Runtime.getRuntime().halt(0);
        }
        Tessera.shutdown();
        System.out.println("soak driver " + job + ": done");
    }
}
