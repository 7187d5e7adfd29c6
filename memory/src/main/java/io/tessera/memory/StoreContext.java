package io.tessera.memory;

import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Configuration of a store created with {@link ObjectStore#create(StoreContext)}. Fluent setters
 * and same-named getters, Aeron style.
 */
public final class StoreContext
{
    /** Default capacity of the store file: 256 MiB. */
    public static final long DEFAULT_CAPACITY_BYTES = 256L << 20;
    /** Smallest accepted capacity: 1 MiB. */
    public static final long MIN_CAPACITY_BYTES = 1L << 20;
    /** Most object table slots a store may ask for (16 M objects). */
    public static final int MAX_OBJECTS_LIMIT = 1 << 24;

    private Path path;
    private long capacityBytes = DEFAULT_CAPACITY_BYTES;
    private int maxObjects;
    private Path spillDir;

    /**
     * Creates a context with the defaults: a fresh file under {@link #defaultStoreDirectory()},
     * {@link #DEFAULT_CAPACITY_BYTES}, an object limit sized from the capacity, and the spill directory
     * beside the store file's name under {@link #defaultSpillRoot()}.
     */
    public StoreContext()
    {
    }

    /**
     * Sets the store file to create (or, in a process attaching to the store, to map); its directory must exist
     * and belong to this user.
     *
     * @param path the store file.
     * @return this.
     */
    public StoreContext path(final Path path)
    {
        this.path = path;
        return this;
    }

    /**
     * Returns the store file; default {@code /dev/shm/tessera-<uid>/tessera-<pid>-<random>.store} (the
     * temp dir instead of {@code /dev/shm} when that is missing).
     *
     * @return the store file; default {@code /dev/shm/tessera-<uid>/tessera-<pid>-<random>.store} (the
     * temp dir instead of {@code /dev/shm} when that is missing). The default directory is created
     * owner-only (0700) by {@link ObjectStore#create}; the file itself is always created 0600.
     */
    public Path path()
    {
        if (path == null)
        {
            path = defaultStoreDirectory().resolve("tessera-" + ProcessHandle.current().pid() + "-" +
                Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16) + ".store");
        }
        return path;
    }

    /**
     * Returns {@code /dev/shm/tessera-<uid>} (the temp dir when {@code /dev/shm} is missing): this user's
     * directory for store files.
     *
     * @return {@code /dev/shm/tessera-<uid>} (the temp dir when {@code /dev/shm} is missing): this
     * user's directory for store files.
     */
    public static Path defaultStoreDirectory()
    {
        final Path shm = Path.of("/dev/shm");
        final Path dir = shm.toFile().isDirectory() ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        return dir.resolve("tessera-" + OwnerOnly.uid());
    }

    /**
     * Returns {@code <java.io.tmpdir>/tessera-<uid>}: this user's directory for spill directories.
     *
     * @return {@code <java.io.tmpdir>/tessera-<uid>}: this user's directory for spill directories.
     */
    public static Path defaultSpillRoot()
    {
        return Path.of(System.getProperty("java.io.tmpdir")).resolve("tessera-" + OwnerOnly.uid());
    }

    /**
     * Returns the spill directory of that store under {@code spillRoot}: {@code <store file name>.spill}
     * (how orphan clean-up finds it without trusting anything written in the store file).
     *
     * @param spillRoot  where spill directories are made.
     * @param storeFile  the store file.
     * @return the spill directory of that store under {@code spillRoot}: {@code <store file name>.spill}
     * (how orphan clean-up finds it without trusting anything written in the store file).
     */
    public static Path spillDirFor(final Path spillRoot, final Path storeFile)
    {
        final String name = storeFile.getFileName().toString();
        return spillRoot.resolve((name.endsWith(".store") ? name.substring(0, name.length() - 6) : name) + ".spill");
    }

    /**
     * Sets {@code capacityBytes}: total size of the store file (header, tables and data), at least 1 MiB.
     *
     * @param capacityBytes total size of the store file (header, tables and data), at least 1 MiB.
     * @return this.
     */
    public StoreContext capacityBytes(final long capacityBytes)
    {
        if (capacityBytes < MIN_CAPACITY_BYTES)
        {
            throw new IllegalArgumentException("capacityBytes must be >= " + MIN_CAPACITY_BYTES + ", got " + capacityBytes);
        }
        this.capacityBytes = capacityBytes;
        return this;
    }

    /**
     * Returns the total size of the store file: header, object table and data region.
     *
     * @return the capacity in bytes; default {@link #DEFAULT_CAPACITY_BYTES}.
     */
    public long capacityBytes()
    {
        return capacityBytes;
    }

    /**
     * Sets {@code maxObjects}: how many objects (sealed, unsealed or spilled) may live at once, 1 .. 16 M.
     *
     * @param maxObjects how many objects (sealed, unsealed or spilled) may live at once, 1 .. 16 M.
     * @return this.
     */
    public StoreContext maxObjects(final int maxObjects)
    {
        if (maxObjects < 1 || maxObjects > MAX_OBJECTS_LIMIT)
        {
            throw new IllegalArgumentException("maxObjects must be in [1, " + MAX_OBJECTS_LIMIT + "], got " + maxObjects);
        }
        this.maxObjects = maxObjects;
        return this;
    }

    /**
     * Returns the object limit; default capacity / 4 KiB, clamped to [1 024, 1 048 576] (the table then
     * takes about 3 % of the file: 128 bytes of slots per object).
     *
     * @return the object limit; default capacity / 4 KiB, clamped to [1 024, 1 048 576] (the table then
     * takes about 3 % of the file: 128 bytes of slots per object).
     */
    public int maxObjects()
    {
        if (maxObjects == 0)
        {
            return (int)Math.min(1 << 20, Math.max(1024, capacityBytes >>> 12));
        }
        return maxObjects;
    }

    /**
     * Sets where evicted primary copies are written when the store needs room (created owner-only on
     * first spill).
     *
     * @param spillDir the spill directory; null for the default.
     * @return this.
     */
    public StoreContext spillDir(final Path spillDir)
    {
        this.spillDir = spillDir;
        return this;
    }

    /**
     * Returns where evicted primary copies are written; default {@code
     * <java.io.tmpdir>/tessera-<uid>/<store file name>.spill} (see {@link #spillDirFor}).
     *
     * @return where evicted primary copies are written; default
     * {@code <java.io.tmpdir>/tessera-<uid>/<store file name>.spill} (see {@link #spillDirFor}). The
     * directory must not exist: {@link ObjectStore#create} makes it fresh, mode 0700.
     */
    public Path spillDir()
    {
        return spillDir != null ? spillDir : spillDirFor(defaultSpillRoot(), path());
    }

    @Override
    public String toString()
    {
        return "StoreContext{path=" + path() + ", capacityBytes=" + capacityBytes + ", maxObjects=" + maxObjects() +
            ", spillDir=" + spillDir() + '}';
    }
}
