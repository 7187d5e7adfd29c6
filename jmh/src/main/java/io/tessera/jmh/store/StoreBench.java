package io.tessera.jmh.store;

import io.tessera.memory.ObjectStore;
import io.tessera.memory.StoreContext;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Shared set-up of the store benchmarks: stores under {@code /dev/shm} with unique names.
 */
final class StoreBench
{
    private StoreBench()
    {
    }

    static ObjectStore newStore(final long capacityBytes, final int maxObjects)
    {
        final String name = "tessera-jmh-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        final Path dir = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") :
            Path.of(System.getProperty("java.io.tmpdir"));
        final StoreContext ctx = new StoreContext()
            .path(dir.resolve(name + ".store"))
            .spillDir(Path.of(System.getProperty("java.io.tmpdir"), name + "-spill"))
            .capacityBytes(capacityBytes);
        if (maxObjects > 0)
        {
            ctx.maxObjects(maxObjects);
        }
        return ObjectStore.create(ctx);
    }
}
