package io.tessera.memory;

import io.tessera.memory.internal.StoreLayout;
import io.tessera.memory.internal.TlsfAllocator;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Stream;

import static io.tessera.memory.internal.StoreLayout.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The store file and its mapping: creating it owner-only and formatting its header ({@link StoreLayout}),
 * attaching to one and checking its header, health checks while mapped, unmapping, and deleting the
 * files of owners that died. The object table, allocator and client table inside are other roles'.
 */
final class StoreFile
{
    private static final VarHandle INT = JAVA_INT.varHandle();

    final Path path;
    final boolean owner;
    final MemorySegment segment;
    private final FileChannel channel;
    private final Arena arena;
    private final Object fileKey;

    private StoreFile(
        final Path path,
        final boolean owner,
        final FileChannel channel,
        final Arena arena,
        final MemorySegment segment,
        final Object fileKey)
    {
        this.path = path;
        this.owner = owner;
        this.channel = channel;
        this.arena = arena;
        this.segment = segment;
        this.fileKey = fileKey;
    }

    /**
     * Creates the store file (and a fresh spill directory), formats it, and opens a store on it with
     * {@code open}; anything failing on the way deletes what was created.
     */
    static ObjectStore create(final StoreContext ctx, final Function<StoreFile, ObjectStore> open)
    {
        final Path path = ctx.path();
        final long capacity = ctx.capacityBytes();
        final int maxObjects = ctx.maxObjects();
        final int slots = tableSlots(maxObjects);
        final long dataOffset = dataOffset(slots);
        final long dataLength = (capacity - dataOffset) & -64L;
        if (dataLength < 1L << 16)
        {
            throw new IllegalArgumentException("capacityBytes " + capacity + " leaves no data region after the " +
                dataOffset + " bytes of header and tables for maxObjects=" + maxObjects + "; give at least " +
                (dataOffset + (1L << 20)) + " bytes or fewer maxObjects");
        }
        final byte[] spill = ctx.spillDir().toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8);
        if (spill.length > SPILL_DIR_MAX_BYTES)
        {
            throw new IllegalArgumentException("spillDir path longer than " + SPILL_DIR_MAX_BYTES + " bytes: " +
                ctx.spillDir());
        }
        FileChannel channel = null;
        Arena arena = null;
        boolean spillCreated = false;
        try
        {
            final Path storeParent = path.toAbsolutePath().getParent();
            if (storeParent.equals(StoreContext.defaultStoreDirectory().toAbsolutePath()))
            {
                OwnerOnly.directory(storeParent);
            }
            final Path spillDir = ctx.spillDir().toAbsolutePath();
            if (spillDir.getParent().equals(StoreContext.defaultSpillRoot().toAbsolutePath()))
            {
                OwnerOnly.directory(spillDir.getParent());
            }
            channel = FileChannel.open(path, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), OwnerOnly.fileAttribute());
            try
            {
                OwnerOnly.freshDirectory(spillDir);
                spillCreated = true;
            }
            catch (final java.nio.file.FileAlreadyExistsException ex)
            {
                throw new IncompatibleStoreException("spill directory " + spillDir + " exists already: a store " +
                    "spills only into a fresh directory it created (another user could have planted this one); " +
                    "remove it or choose another spillDir", ex);
            }
            arena = Arena.ofShared();
            final MemorySegment segment = channel.map(FileChannel.MapMode.READ_WRITE, 0, capacity, arena);
            format(segment, capacity, maxObjects, spill);
            final Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            return open.apply(new StoreFile(path, true, channel, arena, segment, key));
        }
        catch (final java.nio.file.FileAlreadyExistsException ex)
        {
            throw new IncompatibleStoreException("store file already exists: " + path +
                " (another store owns it; attach to it or choose another path)", ex);
        }
        catch (final IOException | RuntimeException ex)
        {
            final boolean ours = channel != null;
            closeQuietly(arena, channel);
            if (ours)
            {
                SpillFiles.deleteQuietly(path);
            }
            if (spillCreated)
            {
                SpillFiles.deleteTree(ctx.spillDir());
            }
            if (ex instanceof StoreException se)
            {
                throw se;
            }
            throw new IncompatibleStoreException("cannot create store file " + path + " of " + capacity + " bytes: " +
                ex, ex);
        }
    }

    /**
     * Writes a new store's header, formats its allocator, then publishes it open. The owner's pid and
     * start time are this process's.
     *
     * @param segment    the whole store, {@code capacity} bytes, zeroed.
     * @param capacity   its length.
     * @param maxObjects the object limit.
     * @param spillDir   the absolute spill directory, UTF-8.
     */
    static void format(final MemorySegment segment, final long capacity, final int maxObjects, final byte[] spillDir)
    {
        final int slots = tableSlots(maxObjects);
        final long dataOffset = dataOffset(slots);
        final long dataLength = (capacity - dataOffset) & -64L;
        segment.set(JAVA_LONG, FILE_LENGTH_OFFSET, capacity);
        segment.set(JAVA_LONG, TABLE_OFFSET_OFFSET, TABLE_START);
        segment.set(JAVA_INT, TABLE_SLOTS_OFFSET, slots);
        segment.set(JAVA_INT, MAX_OBJECTS_OFFSET, maxObjects);
        segment.set(JAVA_LONG, CLIENTS_OFFSET_OFFSET, clientsOffset(slots));
        segment.set(JAVA_LONG, DATA_OFFSET_OFFSET, dataOffset);
        segment.set(JAVA_LONG, DATA_LENGTH_OFFSET, dataLength);
        segment.set(JAVA_LONG, OWNER_PID_OFFSET, ProcessHandle.current().pid());
        segment.set(JAVA_LONG, OWNER_START_OFFSET, ClientRegistry.processStartMs(ProcessHandle.current()));
        segment.set(JAVA_INT, SPILL_DIR_LENGTH_OFFSET, spillDir.length);
        MemorySegment.copy(MemorySegment.ofArray(spillDir), 0, segment, SPILL_DIR_BYTES_OFFSET, spillDir.length);
        new TlsfAllocator(segment, dataOffset, dataLength).format();
        segment.set(JAVA_INT, VERSION_OFFSET, VERSION);
        segment.set(JAVA_LONG, MAGIC_OFFSET, MAGIC);
        INT.setRelease(segment, STATUS_OFFSET, STATUS_OPEN);
    }

    /**
     * Maps a store file another process created, checks its header, and opens a store on it with
     * {@code open}; anything failing on the way unmaps it again.
     */
    static ObjectStore attach(final Path path, final Function<StoreFile, ObjectStore> open)
    {
        FileChannel channel = null;
        Arena arena = null;
        try
        {
            channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            final long size = channel.size();
            if (size < TABLE_START)
            {
                throw new IncompatibleStoreException("not a Tessera store file (only " + size + " bytes): " + path);
            }
            arena = Arena.ofShared();
            final MemorySegment segment = channel.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
            final long magic = segment.get(JAVA_LONG, MAGIC_OFFSET);
            if (magic != MAGIC)
            {
                throw new IncompatibleStoreException("wrong magic 0x" + Long.toHexString(magic) + " in " + path +
                    ", expected 0x" + Long.toHexString(MAGIC) + " (not a Tessera store file)");
            }
            final int version = segment.get(JAVA_INT, VERSION_OFFSET);
            if (version != VERSION)
            {
                throw new IncompatibleStoreException("store file " + path + " has layout version " + version +
                    ", this build reads version " + VERSION);
            }
            final int status = (int)INT.getAcquire(segment, STATUS_OFFSET);
            if (status != STATUS_OPEN)
            {
                throw new IncompatibleStoreException("store file " + path + " is " +
                    (status == STATUS_CLOSED ? "closed by its owner" : "not initialised yet"));
            }
            if (segment.get(JAVA_LONG, FILE_LENGTH_OFFSET) != size)
            {
                throw new IncompatibleStoreException("store file " + path + " is " + size + " bytes, header says " +
                    segment.get(JAVA_LONG, FILE_LENGTH_OFFSET));
            }
            final Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            return open.apply(new StoreFile(path, false, channel, arena, segment, key));
        }
        catch (final NoSuchFileException ex)
        {
            closeQuietly(arena, channel);
            throw new IncompatibleStoreException("no store file at " + path + " (never created, or deleted)", ex);
        }
        catch (final IOException ex)
        {
            closeQuietly(arena, channel);
            throw new IncompatibleStoreException("cannot open store file " + path + ": " + ex, ex);
        }
        catch (final RuntimeException ex)
        {
            closeQuietly(arena, channel);
            throw ex;
        }
    }

    /** See {@link ObjectStore#deleteOrphans(Path, Path)}. */
    static int deleteOrphans(final Path directory, final Path spillRoot)
    {
        int deleted = 0;
        try (Stream<Path> files = Files.list(directory))
        {
            for (final Path file : files.filter(f -> f.getFileName().toString().endsWith(".store")).toList())
            {
                // Only this user's own regular files: another user may plant anything in a shared directory.
                if (!OwnerOnly.isOwn(file) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))
                {
                    continue;
                }
                final ByteBuffer header = ByteBuffer.allocate((int)SPILL_DIR_BYTES_OFFSET)
                    .order(java.nio.ByteOrder.nativeOrder());
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))
                {
                    while (header.hasRemaining() && channel.read(header) >= 0)
                    {
                        Thread.onSpinWait();
                    }
                }
                catch (final IOException ex)
                {
                    continue;
                }
                if (header.position() < header.capacity() || header.getLong((int)MAGIC_OFFSET) != MAGIC ||
                    header.getInt((int)VERSION_OFFSET) != VERSION)
                {
                    continue;
                }
                final long pid = header.getLong((int)OWNER_PID_OFFSET);
                if (ClientRegistry.isAlive(pid, header.getLong((int)OWNER_START_OFFSET)))
                {
                    continue;
                }
                // The spill directory is derived from the file's name, never read from the file.
                final Path spill = StoreContext.spillDirFor(spillRoot, file);
                if (OwnerOnly.isOwn(spill) && Files.isDirectory(spill, LinkOption.NOFOLLOW_LINKS))
                {
                    SpillFiles.deleteTree(spill);
                }
                SpillFiles.deleteQuietly(file);
                deleted++;
            }
        }
        catch (final IOException ex)
        {
            throw new IncompatibleStoreException("cannot list store directory " + directory + ": " + ex, ex);
        }
        return deleted;
    }

    /** The spill directory written into the header at creation. */
    Path spillDir()
    {
        final int spillLength = segment.get(JAVA_INT, SPILL_DIR_LENGTH_OFFSET);
        final byte[] spillBytes = new byte[spillLength];
        MemorySegment.copy(segment, SPILL_DIR_BYTES_OFFSET, MemorySegment.ofArray(spillBytes), 0, spillLength);
        return Path.of(new String(spillBytes, StandardCharsets.UTF_8));
    }

    /** Marks the store closed for processes attached or attaching (owner only). */
    void markClosed()
    {
        INT.setRelease(segment, STATUS_OFFSET, STATUS_CLOSED);
    }

    /** See {@link ObjectStore#checkHealth()}. */
    void checkHealth()
    {
        if ((int)INT.getAcquire(segment, STATUS_OFFSET) != STATUS_OPEN)
        {
            throw new IncompatibleStoreException("store " + path + " was closed by its owner (pid " +
                segment.get(JAVA_LONG, OWNER_PID_OFFSET) + ")");
        }
        try
        {
            final Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            if (!Objects.equals(key, fileKey))
            {
                throw new IncompatibleStoreException("store file " + path + " was replaced by another file " +
                    "while mapped; no new process can attach to this store");
            }
        }
        catch (final NoSuchFileException ex)
        {
            throw new IncompatibleStoreException("store file " + path + " was deleted while mapped; objects already " +
                "here stay readable by attached processes but no new process can attach", ex);
        }
        catch (final IOException ex)
        {
            throw new IncompatibleStoreException("cannot check store file " + path + ": " + ex, ex);
        }
    }

    /**
     * Closes the file, and unmaps it when {@code unmap}: with a writable segment still handed out,
     * the mapping must stay (a write to an unmapped segment crashes the JVM) until the process exits.
     */
    void close(final boolean unmap)
    {
        closeQuietly(unmap ? arena : null, channel);
    }

    private static void closeQuietly(final Arena arena, final FileChannel channel)
    {
        try
        {
            if (arena != null)
            {
                arena.close();
            }
        }
        catch (final RuntimeException ignore)
        {
            // already closed
        }
        try
        {
            if (channel != null)
            {
                channel.close();
            }
        }
        catch (final IOException ignore)
        {
            // nothing left to release
        }
    }
}
