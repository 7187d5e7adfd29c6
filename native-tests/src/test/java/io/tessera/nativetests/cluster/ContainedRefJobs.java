package io.tessera.nativetests.cluster;

import io.tessera.ObjectRef;
import io.tessera.Tessera;

import java.lang.ref.WeakReference;
import java.util.List;

/** Tasks and an actor for {@link ClusterContainedRefsTest}: they read through refs stored inside objects. */
public final class ContainedRefJobs {
    private ContainedRefJobs() {
    }

    public static String readThrough(List<ObjectRef<ObjectRef<String>>> outers) {
        return outers.getFirst().get().get();
    }

    /** Sums every 4096th byte of the objects the outer object's refs point to. */
    public static long sampleThrough(List<ObjectRef<List<ObjectRef<byte[]>>>> outers) {
        long sum = 0;
        for (ObjectRef<byte[]> r : outers.getFirst().get()) {
            sum += sample(r.get());
        }
        return sum;
    }

    public static long sample(byte[] b) {
        long sum = 0;
        for (int i = 0; i < b.length; i += 4096) {
            sum += b[i];
        }
        return sum;
    }

    /** On the node: a nested put owned here, the inner ref dropped and collected, then read through the outer one. */
    public static String nestedPutHere() throws InterruptedException {
        ObjectRef<String> inner = Tessera.put("made on " + io.tessera.TaskContext.current().nodeId());
        final ObjectRef<ObjectRef<String>> outer = Tessera.put(inner);
        final WeakReference<ObjectRef<String>> probe = new WeakReference<>(inner);
        inner = null;
        while (probe.get() != null) {
            System.gc();
            Thread.sleep(10);
        }
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(20);
        }
        return outer.get().get();
    }

    /** An actor that reads through the refs it is given. */
    public static class Reader {
        public Reader() {
        }

        public String read(List<ObjectRef<ObjectRef<String>>> outers) {
            return readThrough(outers);
        }
    }
}
