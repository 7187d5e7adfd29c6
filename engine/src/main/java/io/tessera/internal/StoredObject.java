package io.tessera.internal;

import io.tessera.ObjectLostException;
import io.tessera.memory.ObjectId;
import io.tessera.memory.ObjectStore;
import io.tessera.memory.ObjectView;

/**
 * An object's bytes in the node's store. Registered with the runtime's {@link java.lang.ref.Cleaner}
 * against its {@link ObjectCell}: once no {@code ObjectRef} (hence no cell) is reachable, or on an
 * explicit free, {@link #run()} drops the runtime's pin and deletes the object. Holds no reference to
 * the cell, or the cell could never become unreachable.
 */
final class StoredObject implements Runnable {
    private final ObjectStore store;
    private final ObjectId id;
    private ObjectView pinned;
    private boolean deleted;

    StoredObject(ObjectStore store, ObjectId id) {
        this.store = store;
        this.id = id;
    }

    ObjectId id() {
        return id;
    }

    /** A view kept pinned until the object is freed, for zero-copy readers. */
    synchronized ObjectView pinnedView() {
        if (deleted) {
            throw new ObjectLostException("object " + id + " was freed");
        }
        if (pinned == null) {
            pinned = store.get(id, 0);
            if (pinned == null) {
                throw new ObjectLostException("object " + id + " is no longer in the object store");
            }
        }
        return pinned;
    }

    /** Pins, decodes, releases; a {@code MemorySegment} object is handed out as the pinned store view itself. */
    Object read(ValueCodec codec) {
        final ObjectView view;
        synchronized (this) {
            if (deleted) {
                throw new ObjectLostException("object " + id + " was freed");
            }
            view = store.get(id, 0);
        }
        if (view == null) {
            throw new ObjectLostException("object " + id + " is no longer in the object store");
        }
        if (ValueCodec.isZeroCopy(view)) {
            store.release(id);
            return pinnedView().segment();
        }
        try {
            return codec.decode(view);
        } finally {
            store.release(id);
        }
    }

    /** Deletes the bytes; idempotent, and quiet once the store is closed. */
    @Override
    public synchronized void run() {
        if (deleted) {
            return;
        }
        deleted = true;
        try {
            if (pinned != null) {
                pinned = null;
                store.release(id);
            }
            store.delete(id);
        } catch (RuntimeException ignoredAfterShutdown) {
            // the store was closed with its node; its memory is gone already
        }
    }
}
