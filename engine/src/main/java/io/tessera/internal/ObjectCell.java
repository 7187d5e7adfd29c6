package io.tessera.internal;

import io.tessera.ObjectLostException;
import io.tessera.TaskCancelledException;
import io.tessera.memory.ObjectId;
import io.tessera.scheduler.LocalScheduler;
import io.tessera.scheduler.Task;
import io.tessera.scheduler.Yielding;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The owner's record of one object: pending until its task finishes, then a value held inline on
 * the heap, bytes in the object store, or a failure. One cell is shared by every local
 * {@code ObjectRef} to the object. Completion is a CAS; waiters are a lock-free stack of parked
 * threads and callbacks (dependencies).
 */
public final class ObjectCell
{
    static final int PENDING = 0;
    static final int COMPLETING = 1;
    static final int READY = 2;
    static final int FAILED = 3;
    static final int FREED = 4;

    /** Value placeholder for an object whose only copy is in the store. */
    static final Object IN_STORE = new Object();

    private static final VarHandle STATE;
    private static final VarHandle WAITERS;
    private static final Waiter DONE = new Waiter(null, null);
    /** Below 4 CPUs a spinning waiter only delays the thread it waits for (caller, dispatcher and worker share the cores). */
    private static final int SPINS = Runtime.getRuntime().availableProcessors() >= 4 ? 256 : 0;
    private static final int YIELDS = 16;
    /** The low-latency {@code get} yields once every 1 024 spins. */
    private static final int SPIN_YIELD_MASK = 1023;

    static
    {
        try
        {
            final MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(ObjectCell.class, "state", int.class);
            WAITERS = l.findVarHandle(ObjectCell.class, "waiters", Waiter.class);
        }
        catch (ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /** The object id's bits; the {@link ObjectId} itself is made on first use (most task results never need one). */
    private final long idHi;
    private final long idLo;
    /** Written racily by whoever asks first: an {@code ObjectId} is immutable, any copy is the same id. */
    private ObjectId id;
    private volatile int state;
    private volatile Waiter waiters;
    private Object value;
    private volatile StoredObject stored;
    /** The invocation that will complete this cell (typed as the scheduler's task: invocations name cells, not the other way). */
    private volatile Task producer;
    /**
     * The cells of the refs serialized inside this object's stored bytes ("contained-in" refs, as
     * Ray calls them): held here so those objects live exactly as long as this one.
     */
    private volatile ObjectCell[] contained;

    ObjectCell(ObjectId id)
    {
        this.idHi = id.hi();
        this.idLo = id.lo();
        this.id = id;
    }

    /** A cell for the id made of these bits, without an {@code ObjectId} until one is asked for. */
    ObjectCell(long idHi, long idLo)
    {
        this.idHi = idHi;
        this.idLo = idLo;
    }

    public ObjectId id()
    {
        ObjectId i = id;
        if (i == null)
        {
            i = ObjectId.of(idHi, idLo);
            id = i;
        }
        return i;
    }

    /** The id's high 64 bits (the node's id prefix for objects made here). */
    public long idHi()
    {
        return idHi;
    }

    /** The id's low 64 bits (the sequence number for objects made here). */
    public long idLo()
    {
        return idLo;
    }

    /** Whether {@code other} is a cell of the same object id. */
    public boolean sameId(ObjectCell other)
    {
        return other.idHi == idHi && other.idLo == idLo;
    }

    /** The id's hash, as {@link ObjectId#hashCode()}, without making the id. */
    public int idHash()
    {
        return Long.hashCode(idHi * 31 + idLo);
    }

    /** The task that will complete this cell, while it is pending. */
    Task producer()
    {
        return producer;
    }

    void producer(Task invocation)
    {
        producer = invocation;
    }

    public boolean isDone()
    {
        return state >= READY;
    }

    public boolean isFailed()
    {
        final int s = state;
        return s == FAILED || s == FREED;
    }

    boolean isFreed()
    {
        return state == FREED;
    }

    StoredObject stored()
    {
        return stored;
    }

    /** Completes with an inline value; false when the cell was already completed, cancelled or freed. */
    boolean complete(Object v)
    {
        if (!STATE.compareAndSet(this, PENDING, COMPLETING))
        {
            return false;
        }
        value = v;
        state = READY;
        producer = null;
        signal();
        return true;
    }

    /** Completes with bytes in the store (and, optionally, the value kept inline too). */
    boolean completeStored(StoredObject s, Object inline)
    {
        if (!STATE.compareAndSet(this, PENDING, COMPLETING))
        {
            return false;
        }
        stored = s;
        value = inline;
        state = READY;
        producer = null;
        signal();
        return true;
    }

    /** Fails the cell; a lower module's exception is kept as what the API throws for it ({@link ApiErrors}). */
    boolean fail(RuntimeException error)
    {
        if (!STATE.compareAndSet(this, PENDING, COMPLETING))
        {
            return false;
        }
        value = ApiErrors.toApi(error);
        state = FAILED;
        producer = null;
        signal();
        return true;
    }

    /** Completes with a value that arrived from another node; false when already done. */
    public boolean completeWith(Object v)
    {
        return complete(v);
    }

    /** Completes with bytes held in a store (this node's or another's); false when already done. */
    public boolean completeWithStored(StoredObject s)
    {
        return completeStored(s, IN_STORE);
    }

    /** Fails with an error that arrived from another node; false when already done. */
    public boolean failWith(RuntimeException error)
    {
        return fail(error);
    }

    /** The inline value of a ready cell, or the store marker when its bytes are in a store; throws the failure. */
    public Object valueOrFailure()
    {
        return valueOrThrow();
    }

    /** The store bytes of the object, or null while it is only an inline value. */
    public StoredObject storedObject()
    {
        return stored;
    }

    /** Keeps the objects whose refs this object's stored bytes hold alive as long as this cell (see {@link #contained}). */
    void contain(ObjectCell[] cells)
    {
        contained = cells;
        if (state == FREED)
        {
            contained = null;
        }
    }

    /** Attaches store bytes to a ready inline value (getSegment of a small result); first one wins. */
    synchronized StoredObject attachStored(StoredObject s)
    {
        if (stored == null)
        {
            stored = s;
            return s;
        }
        return stored;
    }

    /** Frees the object: later reads fail with {@link ObjectLostException}; returns the store bytes to delete, if any. */
    StoredObject free()
    {
        for (;;)
        {
            final int s = state;
            if (s == FREED)
            {
                return null;
            }
            if (s == COMPLETING)
            {
                Thread.onSpinWait();
                continue;
            }
            if (STATE.compareAndSet(this, s, FREED))
            {
                value = null;
                producer = null;
                contained = null;
                final StoredObject st = stored;
                signal();
                return st;
            }
        }
    }

    /** The inline value, {@link #IN_STORE}, or throws the failure. Only after {@link #isDone()}. */
    Object valueOrThrow()
    {
        final int s = state;
        if (s == READY)
        {
            return value;
        }
        if (s == FAILED)
        {
            throw (RuntimeException) value;
        }
        throw new ObjectLostException("object " + id() + " was freed");
    }

    /** Runs {@code callback} once this cell is done (at once, on this thread, if it already is). */
    public void onDone(Runnable callback)
    {
        if (!push(new Waiter(null, callback)))
        {
            callback.run();
        }
    }

    /**
     * Waits until done or the deadline passes; a worker thread gives its CPU back while parked.
     *
     * @return true when done
     */
    boolean await(long timeoutNs)
    {
        return await(timeoutNs, false);
    }

    /**
     * Waits as {@link #await(long)}, or with {@code spin} (the low-latency mode, on a driver thread) by
     * busy-spinning until done, the deadline or an interrupt, never parking.
     *
     * @return true when done
     */
    boolean await(long timeoutNs, boolean spin)
    {
        if (state >= READY)
        {
            return true;
        }
        final long deadline = timeoutNs < 0 ? 0 : System.nanoTime() + timeoutNs;
        if (spin && timeoutNs != 0)
        {
            return spinUntilDone(timeoutNs < 0, deadline);
        }
        for (int i = 0; i < SPINS; i++)
        {
            if (state >= READY)
            {
                return true;
            }
            Thread.onSpinWait();
        }
        for (int i = 0; i < YIELDS; i++)
        {
            if (state >= READY)
            {
                return true;
            }
            if (!Yielding.yieldOnce())
            {
                // yielding gives this core to a compute-bound thread for whole time slices: park, to be woken at once
                break;
            }
        }
        if (timeoutNs == 0)
        {
            return state >= READY;
        }
        final Waiter w = new Waiter(Thread.currentThread(), null);
        if (!push(w))
        {
            return true;
        }
        final boolean worker = LocalScheduler.isWorkerThread();
        if (worker)
        {
            LocalScheduler.beginBlocking();
        }
        try
        {
            while (state < READY)
            {
                if (timeoutNs < 0)
                {
                    LockSupport.park(this);
                }
                else
                {
                    final long left = deadline - System.nanoTime();
                    if (left <= 0)
                    {
                        return false;
                    }
                    LockSupport.parkNanos(this, left);
                }
                if (Thread.interrupted())
                {
                    Thread.currentThread().interrupt();
                    throw new TaskCancelledException("interrupted while waiting for object " + id());
                }
            }
            return true;
        }
        finally
        {
            if (worker)
            {
                LocalScheduler.endBlocking();
            }
        }
    }

    private boolean spinUntilDone(boolean forever, long deadline)
    {
        for (int i = 1; state < READY; i++)
        {
            if (!forever && deadline - System.nanoTime() <= 0)
            {
                return false;
            }
            if (Thread.interrupted())
            {
                Thread.currentThread().interrupt();
                throw new TaskCancelledException("interrupted while waiting for object " + id());
            }
            if ((i & SPIN_YIELD_MASK) == 0)
            {
                // where spinners outnumber the cores, the thread this one waits for gets a core within a yield
                Thread.yield();
            }
            else
            {
                Thread.onSpinWait();
            }
        }
        return true;
    }

    private boolean push(Waiter w)
    {
        for (;;)
        {
            final Waiter head = waiters;
            if (head == DONE || state >= READY)
            {
                return false;
            }
            w.next = head;
            if (WAITERS.compareAndSet(this, head, w))
            {
                return true;
            }
        }
    }

    private void signal()
    {
        Waiter w = (Waiter) WAITERS.getAndSet(this, DONE);
        while (w != null && w != DONE)
        {
            if (w.thread != null)
            {
                LockSupport.unpark(w.thread);
            }
            else
            {
                w.callback.run();
            }
            w = w.next;
        }
    }

    @Override
    public String toString()
    {
        return "ObjectCell{" + id() + ", state=" + state + '}';
    }

    private static final class Waiter
    {
        final Thread thread;
        final Runnable callback;
        Waiter next;

        Waiter(Thread thread, Runnable callback)
        {
            this.thread = thread;
            this.callback = callback;
        }
    }
}
