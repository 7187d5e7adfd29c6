package io.tessera.nativetests.cluster;

import io.tessera.ObjectRef;
import io.tessera.Tessera;

import java.lang.ref.WeakReference;
import java.util.List;

/** Tasks and an actor for {@link ClusterContainedRefsTest}: they read through refs stored inside objects. */
public final class ContainedRefJobs
{
    private ContainedRefJobs()
    {
    }

    public static String readThrough(List<ObjectRef<ObjectRef<String>>> outers)
    {
        return outers.getFirst().get().get();
    }

    /** Sums every 4096th byte of the objects the outer object's refs point to. */
    public static long sampleThrough(List<ObjectRef<List<ObjectRef<byte[]>>>> outers)
    {
        long sum = 0;
        for (ObjectRef<byte[]> r : outers.getFirst().get())
        {
            sum += sample(r.get());
        }
        return sum;
    }

    public static long sampleAll(List<ObjectRef<byte[]>> refs)
    {
        long sum = 0;
        for (ObjectRef<byte[]> r : refs)
        {
            sum += sample(r.get());
        }
        return sum;
    }

    /** Hands the refs read from the outer object, unread, to a task on the node that has resource {@code at}. */
    public static long forwardInner(List<ObjectRef<List<ObjectRef<byte[]>>>> outers, String at)
    {
        final List<ObjectRef<byte[]>> inner = outers.getFirst().get();
        return Tessera.task(ContainedRefJobs::sampleAll, inner).options(o -> o.resource(at, 1)).remote().get();
    }

    public static long sample(byte[] b)
    {
        long sum = 0;
        for (int i = 0; i < b.length; i += 4096)
        {
            sum += b[i];
        }
        return sum;
    }

    /** On the node: a nested put owned here, the inner ref dropped and collected, then read through the outer one. */
    public static String nestedPutHere() throws InterruptedException
    {
        ObjectRef<String> inner = Tessera.put("made on " + io.tessera.TaskContext.current().nodeId());
        final ObjectRef<ObjectRef<String>> outer = Tessera.put(inner);
        final WeakReference<ObjectRef<String>> probe = new WeakReference<>(inner);
        inner = null;
        while (probe.get() != null)
        {
            System.gc();
            Thread.sleep(10);
        }
        for (int i = 0; i < 5; i++)
        {
            System.gc();
            Thread.sleep(20);
        }
        return outer.get().get();
    }

    /** Refs to objects made here, returned inside the result: they must outlive this task's own refs. */
    public static List<ObjectRef<String>> freshRefs(int n)
    {
        final List<ObjectRef<String>> refs = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++)
        {
            refs.add(Tessera.put("fresh " + i));
        }
        return refs;
    }

    private static volatile Thread collector;

    /** Starts collecting garbage on this node every millisecond for {@code ms}, so a dropped ref is collected at once. */
    public static boolean collectGarbageFor(long ms)
    {
        final long until = System.nanoTime() + ms * 1_000_000L;
        final Thread t = new Thread(() ->
        {
            while (System.nanoTime() < until)
            {
                System.gc();
                try
                {
                    Thread.sleep(1);
                }
                catch (InterruptedException ex)
                {
                    return;
                }
            }
        }, "test-gc");
        t.setDaemon(true);
        t.start();
        collector = t;
        return true;
    }

    /** An actor that reads through the refs it is given. */
    public static class Reader
    {
        public Reader()
        {
        }

        public String read(List<ObjectRef<ObjectRef<String>>> outers)
        {
            return readThrough(outers);
        }
    }
}
