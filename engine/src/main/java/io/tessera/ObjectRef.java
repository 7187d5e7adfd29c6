package io.tessera;

import io.tessera.internal.ApiErrors;
import io.tessera.internal.CurrentNode;
import io.tessera.internal.Node;
import io.tessera.internal.ObjectCell;
import io.tessera.memory.ObjectId;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;

/**
 * A reference to an immutable object: the result of a task or actor call, or a value put into the
 * object store. Pass it as a task argument where the function takes {@code T}; the engine resolves
 * it first. The object lives while any reference to it is reachable, or until {@link Tessera#free}.
 *
 * @param <T> the object's type
 */
public final class ObjectRef<T> implements Serializable
{
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * The owner's record of the object, which holds its id: a ref is this one field (a ref per task result is
     * allocated on every submit). It never travels: {@link #writeReplace()} sends the id and the owner's address.
     */
    private final transient ObjectCell cell;

    ObjectRef(ObjectCell cell)
    {
        this.cell = java.util.Objects.requireNonNull(cell, "cell");
    }

    ObjectCell cell()
    {
        if (cell == null)
        {
            throw new ObjectLostException("an ObjectRef was copied without its owner's record of it (not through its serialized form)");
        }
        return cell;
    }

    /** Replaces {@link ObjectRef} arguments by their cells, in place (the array is the caller's copy). */
    static Object[] unwrap(Object[] args)
    {
        for (int i = 0; i < args.length; i++)
        {
            if (args[i] instanceof ObjectRef<?> ref)
            {
                args[i] = ref.cell();
            }
        }
        return args;
    }

    /**
     * An {@code ObjectRef} travels as its id and its owner's address. Sent to another node inside a
     * task's arguments, it is a borrow: the owner keeps the object alive until the borrower's copy
     * of the ref is unreachable there. Read back in the owning process, it is the same ref again.
     *
     * @return the serialized form: the id and the owner's address.
     */
    @Serial
    private Object writeReplace()
    {
        final Node node = CurrentNode.orNull();
        final ObjectCell c = cell();
        return new Form(c.id(), node == null ? null : node.lend(c));
    }

    private record Form(ObjectId id, String owner) implements Serializable
    {
        @Serial
        private Object readResolve()
        {
            return new ObjectRef<>(CurrentNode.require().borrow(id, owner));
        }
    }

    /**
     * Blocks until the object is ready; same as {@link Tessera#get(ObjectRef)}.
     *
     * @return the value.
     */
    public T get()
    {
        try
        {
            return cast(CurrentNode.require().get(cell(), -1));
        }
        catch (RuntimeException ex)
        {
            throw ApiErrors.toApi(ex);
        }
    }

    /**
     * Waits at most {@code timeout}; same as {@link Tessera#get(ObjectRef, Duration)}.
     *
     * @param timeout how long to wait.
     * @return the value.
     * @throws GetTimeoutException when it is not ready in time
     */
    public T get(Duration timeout)
    {
        try
        {
            return cast(CurrentNode.require().get(cell(), Math.max(0, timeout.toNanos())));
        }
        catch (RuntimeException ex)
        {
            throw ApiErrors.toApi(ex);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o)
    {
        return (T) o;
    }

    /**
     * The object's globally unique id, as logged and as {@code tessera status} shows it.
     *
     * @return 32 hex digits.
     */
    public String id()
    {
        return cell().id().toString();
    }

    @Override
    public boolean equals(Object o)
    {
        return o instanceof ObjectRef<?> other && other.cell().sameId(cell());
    }

    @Override
    public int hashCode()
    {
        return cell().idHash();
    }

    @Override
    public String toString()
    {
        return "ObjectRef(" + cell().id() + ')';
    }
}
