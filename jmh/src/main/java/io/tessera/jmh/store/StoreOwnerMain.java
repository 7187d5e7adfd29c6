package io.tessera.jmh.store;

import io.tessera.memory.ObjectId;
import io.tessera.memory.ObjectStore;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * The owner process of {@link CrossProcessGetLatency}: creates a store, puts a 1 KiB object, prints
 * {@code READY <path> <id>} and keeps the store until its stdin closes.
 */
public final class StoreOwnerMain
{
    private StoreOwnerMain()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        try (ObjectStore store = StoreBench.newStore(64L << 20, 1024))
        {
            final ObjectId id = ObjectId.random();
            store.put(id, MemorySegment.ofArray(new byte[1024]), 1);
            System.out.println("READY " + store.path() + " " + id);
            System.out.flush();
            while (System.in.read() >= 0)
            {
                Thread.onSpinWait();
            }
        }
    }
}
