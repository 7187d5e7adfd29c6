package io.tessera.internal;

import io.tessera.gpu.GpuBuffer;
import io.tessera.memory.ObjectId;
import io.tessera.memory.ObjectStore;
import io.tessera.memory.serial.Serializer;

import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * GPU-resident objects: results that are {@link GpuBuffer}s stay in device memory. A buffer is
 * owned by the objects (cells) that hold it and by the tasks running on an engine-made copy of it; it
 * is closed when the last owner lets go (free, Cleaner, end of the task, node shutdown).
 * <p>
 * Readers on the buffer's device get the buffer itself. A task granted another device gets a copy
 * made through the object store (device → store object, store object → its device), which is closed
 * after that task unless the task returns it. A host reader ({@code getSegment}) gets the store copy.
 * <p>
 * The store's mapping is not page-locked here: {@code ObjectStore} exposes no accessor for it, and
 * page-locking each copy's range costs about as much as the copy it would speed up. Copies go
 * {@code DIRECT} from the pageable mapping (the raw-copy baseline in {@code jmh/results/gpu.md}).
 */
final class GpuObjects implements AutoCloseable
{
    private final ObjectStore store;
    private final Cleaner cleaner;
    /** Owner count of every buffer the engine holds; keys compare by identity (GpuBuffer keeps Object.equals). */
    private final Map<GpuBuffer, int[]> owners = new ConcurrentHashMap<>();
    /** The release action of each GPU object, by object id, so an explicit free runs it once and unregisters it. */
    private final Map<ObjectId, Cleaner.Cleanable> objects = new ConcurrentHashMap<>();

    GpuObjects(ObjectStore store, Cleaner cleaner)
    {
        this.store = store;
        this.cleaner = cleaner;
    }

    /** Completes {@code cell} with a device-resident value; closes it at once when the cell was freed meanwhile. */
    void complete(ObjectCell cell, GpuBuffer buffer)
    {
        retain(buffer);
        final Cleaner.Cleanable release = cleaner.register(cell, new Release(this, cell.id(), buffer));
        objects.put(cell.id(), release);
        if (!cell.complete(buffer))
        {
            release.clean();
        }
    }

    /** Releases the device memory of a freed object; nothing for other objects. */
    void free(ObjectId id)
    {
        final Cleaner.Cleanable release = objects.remove(id);
        if (release != null)
        {
            release.clean();
        }
    }

    /**
     * Whether a task holding {@code gpuIds} receives a GPU object's buffer itself as its argument:
     * when it holds no GPU or the buffer's device. Else it gets a {@link #copyOnto copy}.
     */
    static boolean usableAsIs(GpuBuffer buffer, int[] gpuIds)
    {
        return gpuIds.length == 0 || containsDevice(gpuIds, buffer.device());
    }

    /**
     * A copy of a GPU object on {@code gpu}, made from its bytes {@code staged} in the store, owned
     * by the task until {@link #releaseAll} (and by its result too if it returns it).
     */
    GpuBuffer copyOnto(int gpu, GpuBuffer buffer, MemorySegment staged, List<GpuBuffer> copies)
    {
        final GpuBuffer copy = GpuBuffer.allocate(gpu, buffer.bytes());
        try
        {
            copy.copyFromHost(staged);
        }
        catch (RuntimeException ex)
        {
            copy.close();
            throw ex;
        }
        retain(copy);
        copies.add(copy);
        return copy;
    }

    /** Drops a task's hold on the copies made for it. */
    void releaseAll(List<GpuBuffer> copies)
    {
        for (GpuBuffer b : copies)
        {
            release(b);
        }
    }

    /**
     * Copies the buffer into a new store object of its size (one device → host copy, straight into
     * the writable store segment) and seals it.
     */
    StoredObject toStore(ObjectId id, GpuBuffer buffer)
    {
        final MemorySegment target = store.create(id, buffer.bytes(), Serializer.KIND_BYTES);
        try
        {
            buffer.copyToHost(target);
        }
        catch (RuntimeException ex)
        {
            store.abort(id);
            throw ex;
        }
        store.seal(id);
        return new StoredObject(store, id);
    }

    /** Closes every buffer the engine still holds (node shutdown, after the scheduler stopped). */
    @Override
    public void close()
    {
        for (Cleaner.Cleanable c : new ArrayList<>(objects.values()))
        {
            c.clean();
        }
        objects.clear();
        for (GpuBuffer b : new ArrayList<>(owners.keySet()))
        {
            owners.remove(b);
            closeQuietly(b);
        }
    }

    private void retain(GpuBuffer buffer)
    {
        owners.compute(buffer, (b, n) ->
        {
            if (n == null)
            {
                return new int[] {1};
            }
            n[0]++;
            return n;
        });
    }

    private void release(GpuBuffer buffer)
    {
        final boolean[] last = new boolean[1];
        owners.computeIfPresent(buffer, (b, n) ->
        {
            if (--n[0] > 0)
            {
                return n;
            }
            last[0] = true;
            return null;
        });
        if (last[0])
        {
            closeQuietly(buffer);
        }
    }

    private static void closeQuietly(GpuBuffer buffer)
    {
        try
        {
            buffer.close();
        }
        catch (RuntimeException afterDriverShutdown)
        {
            // the context is gone with the process or the driver; so is the memory
        }
    }

    private static boolean containsDevice(int[] gpuIds, int device)
    {
        for (int id : gpuIds)
        {
            if (id == device)
            {
                return true;
            }
        }
        return false;
    }

    /** One object's hold on its buffer; references the buffer and the table, never the cell. */
    private record Release(GpuObjects table, ObjectId id, GpuBuffer buffer) implements Runnable
    {
        @Override
        public void run()
        {
            table.objects.remove(id);
            table.release(buffer);
        }
    }
}
