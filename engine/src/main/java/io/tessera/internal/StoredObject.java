package io.tessera.internal;

import io.tessera.ObjectLostException;
import io.tessera.memory.ObjectId;
import io.tessera.memory.ObjectStore;
import io.tessera.memory.ObjectView;

/**
 * An object's bytes in a store: this node's, or another node's ({@link Remote}) until a reader here
 * needs them, when they are pulled into this node's store first. Registered with the runtime's
 * {@link java.lang.ref.Cleaner} against its {@link ObjectCell}: once no {@code ObjectRef} (hence no
 * cell) is reachable, or on an explicit free, {@link #run()} drops the runtime's pin, deletes the
 * local copy and tells the remote holder. Holds no reference to the cell, or the cell could never
 * become unreachable.
 */
public final class StoredObject implements Runnable
{
    /** The holder of an object that lives on another node. */
    public interface Remote
    {
        /**
         * The holder's own store when this process can map it (same host): reads then pin the
         * object there, zero-copy, instead of pulling it; null to pull.
         */
        default ObjectStore sharedStore(ObjectId id)
        {
            return null;
        }

        /** Pulls the object into {@code store} under {@code id}; blocks; may re-create it from lineage. */
        void fetch(ObjectStore store, ObjectId id);

        /** The owner no longer needs the object: the holder may delete it. */
        void release(ObjectId id);

        /**
         * Whether the bytes found in this node's store are a copy someone else keeps (this node is
         * the holder of a borrowed object): then they are not deleted here when the ref goes.
         */
        default boolean isHeldHere()
        {
            return false;
        }
    }

    private final ObjectStore ownStore;
    private final ObjectId id;
    private final Remote remote;
    private ObjectStore store;
    private boolean local;
    private ObjectView pinned;
    private boolean deleted;

    StoredObject(ObjectStore store, ObjectId id)
    {
        this(store, id, null);
    }

    /** An object whose bytes are on another node until needed here. */
    public StoredObject(ObjectStore store, ObjectId id, Remote remote)
    {
        this.ownStore = store;
        this.store = store;
        this.id = id;
        this.remote = remote;
        this.local = remote == null;
    }

    public ObjectId id()
    {
        return id;
    }

    /** The remote holder, or null for an object made on this node. */
    public Remote remote()
    {
        return remote;
    }

    /** Whether the bytes are in this node's store now. */
    public synchronized boolean isLocal()
    {
        return local;
    }

    private void ensureLocal()
    {
        if (deleted)
        {
            throw new ObjectLostException("object " + id + " was freed");
        }
        if (!local)
        {
            final ObjectStore shared = remote.sharedStore(id);
            if (shared != null)
            {
                store = shared;
            }
            else
            {
                remote.fetch(ownStore, id);
            }
            local = true;
        }
    }

    /** A view kept pinned until the object is freed, for zero-copy readers. */
    synchronized ObjectView pinnedView()
    {
        ensureLocal();
        if (pinned == null)
        {
            pinned = store.get(id, 0);
            if (pinned == null)
            {
                throw new ObjectLostException("object " + id + " is no longer in the object store");
            }
        }
        return pinned;
    }

    /** Pins, decodes, releases; a {@code MemorySegment} object is handed out as the pinned store view itself. */
    Object read(ValueCodec codec)
    {
        final ObjectView view;
        synchronized (this)
        {
            ensureLocal();
            view = store.get(id, 0);
        }
        if (view == null)
        {
            throw new ObjectLostException("object " + id + " is no longer in the object store");
        }
        if (ValueCodec.isZeroCopy(view))
        {
            store.release(id);
            return pinnedView().segment();
        }
        try
        {
            return codec.decode(view);
        }
        finally
        {
            store.release(id);
        }
    }

    /** Deletes the local copy and releases the remote one; idempotent, and quiet once the store is closed. */
    @Override
    public synchronized void run()
    {
        if (deleted)
        {
            return;
        }
        deleted = true;
        try
        {
            if (pinned != null)
            {
                pinned = null;
                store.release(id);
            }
            if (local && store == ownStore && (remote == null || !remote.isHeldHere()))
            {
                store.delete(id);
            }
        }
        catch (RuntimeException storeAlreadyClosed)
        {
            // the node shut down with its store; the memory is gone already
        }
        if (remote != null)
        {
            remote.release(id);
        }
    }
}
