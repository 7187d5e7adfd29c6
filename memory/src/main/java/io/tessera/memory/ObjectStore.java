package io.tessera.memory;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * The node's shared-memory object store. One file maps into every attached process; objects are
 * created, written once, sealed, then immutable and readable zero-copy by any process.
 * <p>
 * Thread-safe. {@link #get(ObjectId, long)} and {@link #release(ObjectId)} take no lock; creating,
 * deleting and evicting take a short cross-process lock that survives its holder being killed.
 * <p>
 * Pins belong to this process (this store instance): {@link #close()} and the death of the process
 * release them. At most {@value io.tessera.memory.internal.StoreLayout#MAX_CLIENTS} instances may be
 * attached to one store file at once.
 */
public interface ObjectStore extends AutoCloseable
{
    /**
     * Creates the store file and maps it; this instance is the owner. Its {@link #close()} unmaps and
     * deletes the file and the spill directory.
     *
     * @param ctx configuration.
     * @return the store.
     */
    static ObjectStore create(final StoreContext ctx)
    {
        return SharedObjectStore.create(ctx);
    }

    /**
     * Attaches to a store file another process created. {@link #close()} detaches and releases this
     * instance's pins.
     *
     * @param path the store file.
     * @return the store.
     * @throws IncompatibleStoreException when the file is missing, deleted, closed or of another layout.
     */
    static ObjectStore attach(final Path path)
    {
        return SharedObjectStore.attach(path);
    }

    /**
     * Deletes the store files in {@code directory} that belong to this user and whose owner process
     * has died without closing them, e.g. after a {@code kill -9}, with their spill directories
     * (found by name under {@link StoreContext#defaultSpillRoot()}, see {@link StoreContext#spillDirFor}).
     * Files of live owners, of other users, and files that are not Tessera stores are left alone.
     *
     * @param directory where stores are created, e.g. {@link StoreContext#defaultStoreDirectory()}.
     * @return the number of store files deleted.
     */
    static int deleteOrphans(final Path directory)
    {
        return SharedObjectStore.deleteOrphans(directory, StoreContext.defaultSpillRoot());
    }

    /**
     * Like {@link #deleteOrphans(Path)}, with the spill directories under {@code spillRoot}. Nothing
     * written inside a store file decides what is deleted.
     *
     * @param directory where stores are created.
     * @param spillRoot where their spill directories are created.
     * @return the number of store files deleted.
     */
    static int deleteOrphans(final Path directory, final Path spillRoot)
    {
        return SharedObjectStore.deleteOrphans(directory, spillRoot);
    }

    /**
     * Reserves space for a new object, primary copy.
     *
     * @param id        new id.
     * @param sizeBytes 0 .. data capacity.
     * @param kind      caller's type tag, returned by {@link ObjectView#kind()}.
     * @return a writable 64-byte aligned segment of {@code sizeBytes}, confined to the calling thread
     * (another thread's access throws {@link WrongThreadException}), valid until {@link #seal} or
     * {@link #abort}: any access afterwards throws {@link IllegalStateException}. When another thread
     * seals, the segment is invalidated at the creating thread's next {@code create}. To fill an
     * object from several threads, fill a segment of your own and {@link #put} it.
     * @throws ObjectExistsException    when the id is present.
     * @throws ObjectTooLargeException  when the size exceeds the data capacity.
     * @throws IllegalArgumentException when the size is negative.
     * @throws StoreFullException       when no room can be made.
     */
    MemorySegment create(ObjectId id, long sizeBytes, int kind);

    /**
     * Like {@link #create}, but the writable segment may be written from any thread of this process
     * (e.g. several event loops filling ranges of one object). Sealing or aborting it closes a shared
     * arena, which costs a handshake with every thread of the JVM (tens of microseconds): use it for
     * large objects filled concurrently, {@link #create} or {@link #put} otherwise.
     *
     * @param id        new id.
     * @param sizeBytes 0 .. data capacity.
     * @param kind      caller's type tag.
     * @return a writable 64-byte aligned segment, valid from any thread until {@link #seal} or
     * {@link #abort}; any access afterwards throws {@link IllegalStateException}.
     */
    MemorySegment createShared(ObjectId id, long sizeBytes, int kind);

    /**
     * Makes a created object immutable and visible to {@link #get} in every process.
     *
     * @param id created, unsealed object.
     * @throws UnknownObjectException when the id is not present (never created or aborted).
     * @throws ObjectStateException   when it is already sealed.
     */
    void seal(ObjectId id);

    /**
     * Discards an unsealed object and frees its space.
     *
     * @param id created, unsealed object.
     * @throws UnknownObjectException when the id is not present.
     * @throws ObjectStateException   when it is already sealed (use {@link #delete}).
     */
    void abort(ObjectId id);

    /**
     * Creates, fills with a copy of {@code source} (one bulk copy) and seals an object in one call.
     * Faster than {@link #create} + {@link #seal}: no per-object guard on the written segment.
     *
     * @param id     new id.
     * @param source bytes to store (heap or native segment).
     * @param kind   caller's type tag.
     * @throws ObjectExistsException   when the id is present.
     * @throws ObjectTooLargeException when the size exceeds the data capacity.
     * @throws StoreFullException      when no room can be made.
     */
    void put(ObjectId id, MemorySegment source, int kind);

    /**
     * Pins a sealed object. Waits for it to be created and sealed by any process, restoring it from
     * the spill directory when it was spilled.
     *
     * @param id        object.
     * @param timeoutNs 0 = don't wait.
     * @return the pinned view, or {@code null} when it is not sealed within the timeout.
     * @throws StoreFullException when a spilled object cannot be restored for lack of space.
     */
    ObjectView get(ObjectId id, long timeoutNs);

    /**
     * {@link #get(ObjectId, long)} into a view the caller reuses: pins the object and wraps
     * {@code view} over it, allocating nothing when the view last wrapped the same bytes.
     *
     * @param id        object.
     * @param timeoutNs 0 = don't wait.
     * @param view      the flyweight to wrap; left as it was when this returns false.
     * @return true when the object is pinned and {@code view} wraps it, false when it is not sealed
     * within the timeout.
     * @throws StoreFullException when a spilled object cannot be restored for lack of space.
     */
    boolean get(ObjectId id, long timeoutNs, ObjectView view);

    /**
     * Drops one pin this process holds on the object.
     *
     * @param id pinned object.
     * @throws UnknownObjectException when the id is not present.
     * @throws ObjectStateException   when this process holds no pin on it.
     */
    void release(ObjectId id);

    /**
     * Removes a sealed (or spilled) object. When a process still pins it, it disappears from
     * {@link #get}/{@link #contains} at once and its space is freed when the last pin is released.
     *
     * @param id sealed object.
     * @return true when freed now, false when freeing is deferred until unpinned.
     * @throws UnknownObjectException when the id is not present.
     * @throws ObjectStateException   when the object is not sealed yet (use {@link #abort}).
     */
    boolean delete(ObjectId id);

    /**
     * Returns true when sealed and present, in memory or spilled.
     *
     * @param id object.
     * @return true when sealed and present, in memory or spilled.
     */
    boolean contains(ObjectId id);

    /**
     * Marks an object as a secondary copy (a replica whose primary lives elsewhere): when evicted it
     * is dropped rather than spilled.
     *
     * @param id created or sealed object.
     * @throws UnknownObjectException when the id is not present.
     */
    void markSecondary(ObjectId id);

    /**
     * Releases the pins and frees the unsealed objects of every attached process that has died.
     * Also runs on attach and before an allocation fails. The owner should call it periodically.
     *
     * @return the number of dead clients reaped.
     */
    int reapDeadClients();

    /**
     * Verifies the store file is still in place.
     *
     * @throws IncompatibleStoreException when the file was deleted or replaced under this store (the
     *                                    mapping stays usable by processes already attached, but
     *                                    no new process can attach).
     */
    void checkHealth();

    /**
     * The objects in the store now (sealed ones, in memory or spilled), walked from its object table
     * without the lock: an object created or deleted meanwhile may be missing or still listed. For the
     * state API and tools, not for hot paths (it reads every slot of the table).
     *
     * @return the objects, in table order
     */
    java.util.List<StoreEntry> entries();

    /**
     * Returns a snapshot of the counters.
     *
     * @return a snapshot of the counters.
     */
    StoreStats stats();

    /**
     * Returns the store file.
     *
     * @return the store file.
     */
    Path path();

    /**
     * Returns true for the instance that created the store.
     *
     * @return true for the instance that created the store.
     */
    boolean isOwner();

    /**
     * Owner: unmaps and deletes the file and spill directory. Attached process: releases its pins,
     * frees its unsealed objects and detaches. Idempotent.
     */
    @Override
    void close();
}
