package io.tessera.memory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Creates stores in {@code /dev/shm} with a private spill dir and checks hygiene on close: nothing
 * pinned, no files left. Shared with native-tests through the test-jar.
 */
public final class StoreFixture implements AutoCloseable
{
    private final ObjectStore store;
    private final Path spillDir;

    private StoreFixture(final ObjectStore store, final Path spillDir)
    {
        this.store = store;
        this.spillDir = spillDir;
    }

    public static StoreFixture create(final long capacityBytes)
    {
        return create(new StoreContext().capacityBytes(capacityBytes));
    }

    public static StoreFixture create(final StoreContext ctx)
    {
        final String name = "tessera-test-" + ProcessHandle.current().pid() + "-" +
            Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 8);
        final Path shm = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") :
            Path.of(System.getProperty("java.io.tmpdir"));
        final StoreContext configured = ctx.path(shm.resolve(name + ".store"));
        return new StoreFixture(ObjectStore.create(configured), configured.spillDir());
    }

    public ObjectStore store()
    {
        return store;
    }

    public Path spillDir()
    {
        return spillDir;
    }

    /**
     * Asserts nothing is pinned, closes, asserts the file and spill dir are gone.
     */
    @Override
    public void close()
    {
        final Path path = store.path();
        try
        {
            assertEquals(0, store.stats().pinned(), "pinned objects left after the test");
        }
        finally
        {
            store.close();
        }
        assertFalse(Files.exists(path), "store file leaked: " + path);
        assertFalse(Files.isDirectory(spillDir), "spill dir leaked: " + spillDir);
    }
}
