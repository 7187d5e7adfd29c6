package io.tessera;

import io.tessera.internal.ActorRef;
import io.tessera.internal.ApiErrors;
import io.tessera.internal.CurrentNode;
import io.tessera.internal.Node;
import io.tessera.internal.ObjectCell;
import io.tessera.internal.launch.NodeLauncher;
import io.tessera.state.ClusterState;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Tessera's entry point: start a node, submit tasks, create actors, put and get objects.
 * <pre>{@code
 * Tessera.init();
 * ObjectRef<Integer> r = Tessera.task(Demo::square, 4).remote();
 * int v = r.get();
 * Tessera.shutdown();
 * }</pre>
 * The static methods act on the process's one node, held by {@link CurrentNode}; the typed
 * {@code task(...)} and {@code actor(...)} overloads are generated into {@link TesseraOverloads}.
 */
public final class Tessera extends TesseraOverloads
{
    private Tessera()
    {
    }

    /** Starts an embedded node with zero configuration (or joins {@code TESSERA_ADDRESS} when set). */
    public static void init()
    {
        init(TesseraConfig.builder().build());
    }

    /**
     * Starts or joins a node as {@code config} says: an embedded node when it names no address (and
     * {@code TESSERA_ADDRESS} is unset), else a driver joining the cluster's head there.
     *
     * @param config what to start; {@link TesseraConfig#builder()} gives the defaults.
     * @throws IllegalStateException when already initialized
     * @throws TesseraException when the head cannot be reached or refuses the token, naming which
     */
    public static void init(TesseraConfig config)
    {
        try
        {
            NodeLauncher.start(Objects.requireNonNull(config, "config"));
        }
        catch (RuntimeException ex)
        {
            throw ApiErrors.toApi(ex);
        }
    }

    /**
     * Whether {@link #init} ran in this JVM and {@link #shutdown()} did not follow.
     *
     * @return true while a node (or driver) runs here.
     */
    public static boolean isInitialized()
    {
        return CurrentNode.orNull() != null;
    }

    /** Stops the node and frees its shared memory; idempotent. */
    public static void shutdown()
    {
        CurrentNode.stop();
    }

    private static Node runtime()
    {
        return CurrentNode.require();
    }

    /**
     * Puts an immutable copy of {@code value} into the object store ({@code null} allowed). Large primitive
     * arrays, buffers and segments are written into shared memory; small values stay on the heap.
     *
     * @param <T>   the value's type.
     * @param value the value: {@code Serializable}, a primitive array, {@code ByteBuffer}, {@code MemorySegment},
     *              a registered class, or null.
     * @return a ref to the stored object, usable as a task argument anywhere in the cluster.
     * @throws IllegalStateException when Tessera is not initialized
     */
    public static <T> ObjectRef<T> put(T value)
    {
        try
        {
            return new ObjectRef<>(runtime().put(value));
        }
        catch (RuntimeException ex)
        {
            throw ApiErrors.toApi(ex);
        }
    }

    /**
     * Blocks until the object is ready and returns it; a task's exception is rethrown as {@link TaskException}.
     * Has no deadline of its own (see {@link #get(ObjectRef, Duration)}); in a cluster it fails as soon as the
     * object cannot be made any more.
     *
     * @param <T> the object's type.
     * @param ref the object.
     * @return its value (primitive arrays and buffers as copies out of the store).
     * @throws TaskException when the task that makes it failed (its exception is the cause)
     * @throws ObjectLostException when it was freed, or lost with a node and could not be re-created
     * @throws TaskCancelledException when its task was cancelled
     */
    public static <T> T get(ObjectRef<T> ref)
    {
        try
        {
            return cast(runtime().get(ref.cell(), -1));
        }
        catch (RuntimeException ex)
        {
            throw ApiErrors.toApi(ex);
        }
    }

    /**
     * Like {@link #get(ObjectRef)}, waiting at most {@code timeout}.
     *
     * @param <T>     the object's type.
     * @param ref     the object.
     * @param timeout how long to wait; zero or negative checks once without waiting.
     * @return its value.
     * @throws GetTimeoutException when the object is not ready in time (the task keeps running)
     */
    public static <T> T get(ObjectRef<T> ref, Duration timeout)
    {
        try
        {
            return cast(runtime().get(ref.cell(), Math.max(0, timeout.toNanos())));
        }
        catch (RuntimeException ex)
        {
            throw ApiErrors.toApi(ex);
        }
    }

    /**
     * The values of several objects, in the list's order; fails as soon as any of them has failed, without
     * waiting for the rest.
     *
     * @param <T>  the objects' type.
     * @param refs the objects.
     * @return their values, in order.
     * @throws TaskException when one's task failed (the first failure seen)
     */
    public static <T> List<T> get(List<ObjectRef<T>> refs)
    {
        final Node rt = runtime();
        final List<ObjectCell> cells = new ArrayList<>(refs.size());
        for (ObjectRef<T> r : refs)
        {
            cells.add(r.cell());
        }
        try
        {
            final ObjectCell failed = rt.awaitAllOrFirstFailure(cells);
            if (failed != null)
            {
                rt.get(failed, 0);
            }
            final List<T> out = new ArrayList<>(cells.size());
            for (ObjectCell c : cells)
            {
                out.add(cast(rt.get(c, -1)));
            }
            return out;
        }
        catch (RuntimeException ex)
        {
            throw ApiErrors.toApi(ex);
        }
    }

    /**
     * A read-only, zero-copy view of the object's bytes in the store: a primitive array's elements in
     * native byte order, a buffer's bytes, or a serialized object's bytes. Blocks like {@code get}.
     * The view stays valid while the object lives (until it is freed or no ref to it is reachable).
     *
     * @param ref the object.
     * @return the view, read-only.
     */
    public static MemorySegment getSegment(ObjectRef<?> ref)
    {
        try
        {
            return runtime().segment(ref.cell(), -1);
        }
        catch (RuntimeException ex)
        {
            throw ApiErrors.toApi(ex);
        }
    }

    /**
     * Waits until {@code n} of {@code refs} are ready (a failed ref counts as ready) or the timeout passes.
     *
     * @param <T>     the objects' type.
     * @param refs    the objects to watch.
     * @param n       how many must be ready, 0 to {@code refs.size()}.
     * @param timeout how long to wait at most.
     * @return at most {@code n} ready refs and the others, each in the list's order.
     * @throws IllegalArgumentException when {@code n} is negative or above {@code refs.size()}
     */
    public static <T> WaitResult<T> wait(List<ObjectRef<T>> refs, int n, Duration timeout)
    {
        if (n < 0 || n > refs.size())
        {
            throw new IllegalArgumentException("n must be between 0 and refs.size() = " + refs.size() + ", got " + n);
        }
        final Node rt = runtime();
        final List<ObjectCell> cells = new ArrayList<>(refs.size());
        for (ObjectRef<T> r : refs)
        {
            cells.add(r.cell());
        }
        final boolean[] done;
        try
        {
            done = rt.waitFor(cells, n, timeout.toNanos());
        }
        catch (RuntimeException ex)
        {
            throw ApiErrors.toApi(ex);
        }
        final List<ObjectRef<T>> ready = new ArrayList<>(n);
        final List<ObjectRef<T>> notReady = new ArrayList<>(refs.size());
        for (int i = 0; i < done.length; i++)
        {
            if (done[i] && ready.size() < n)
            {
                ready.add(refs.get(i));
            }
            else
            {
                notReady.add(refs.get(i));
            }
        }
        return new WaitResult<>(ready, notReady);
    }

    /**
     * Frees the object now, in this process and on the node that holds it: later {@code get}/{@code getSegment}
     * throw {@link ObjectLostException}. Without it, the object goes once no ref to it is reachable.
     *
     * @param ref the object.
     */
    public static void free(ObjectRef<?> ref)
    {
        try
        {
            runtime().free(ref.cell());
        }
        catch (RuntimeException ex)
        {
            throw ApiErrors.toApi(ex);
        }
    }

    /**
     * Cancels the task behind {@code ref}: {@code get} throws {@link TaskCancelledException}; a task not yet
     * started never runs, a running one is interrupted; no effect once finished.
     *
     * @param ref the task's result.
     */
    public static void cancel(ObjectRef<?> ref)
    {
        try
        {
            runtime().cancel(ref.cell());
        }
        catch (RuntimeException ex)
        {
            throw ApiErrors.toApi(ex);
        }
    }

    /**
     * The live actor registered under {@code name} (with {@link ActorOptions#name}) in this job's namespace
     * ({@link TesseraConfig#namespace()}), in this node or anywhere in the cluster.
     *
     * @param <A>  the actor's class.
     * @param name the name it was created with.
     * @param type its class, or a supertype of it.
     * @return its handle, or empty when no live actor has that name in this job's namespace.
     * @throws IllegalArgumentException when it is not a {@code type}
     */
    public static <A> Optional<ActorHandle<A>> getActor(String name, Class<A> type)
    {
        return getActor(name, null, type);
    }

    /**
     * The live actor registered under {@code name} in {@code namespace}, in this node or anywhere in the cluster.
     *
     * @param <A>       the actor's class.
     * @param name      the name it was created with.
     * @param namespace its namespace ({@link ActorOptions#namespace} or its job's {@link TesseraConfig#namespace()});
     *                  null for this job's.
     * @param type      its class, or a supertype of it.
     * @return its handle, or empty when no live actor has that name in that namespace.
     * @throws IllegalArgumentException when it is not a {@code type}, or the namespace is blank
     */
    public static <A> Optional<ActorHandle<A>> getActor(String name, String namespace, Class<A> type)
    {
        final Optional<ActorRef> found;
        try
        {
            final Node node = runtime();
            found = node.namedActor(namespace != null ? TesseraConfig.checkNamespace(namespace) : node.namespace(), name);
        }
        catch (RuntimeException ex)
        {
            throw ApiErrors.toApi(ex);
        }
        if (found.isEmpty())
        {
            return Optional.empty();
        }
        final Class<?> actual = found.get().actorClass();
        if (actual != null && !type.isAssignableFrom(actual))
        {
            throw new IllegalArgumentException("actor '" + name + "' is a " + actual.getName() + ", not a " + type.getName());
        }
        return Optional.of(new ActorHandle<>(found.get()));
    }

    /**
     * What the cluster is doing now: its nodes, jobs, actors, tasks and objects (as {@code ray list}).
     * Embedded, this node answers; a driver in a cluster asks the head. So far the engine answers
     * {@link ClusterState#nodes()} and {@link ClusterState#placementGroups()}; the other methods throw
     * {@link UnsupportedOperationException} until the task records of issue #14 land.
     *
     * @return the state API of the running node
     * @throws IllegalStateException when not initialized
     */
    public static ClusterState state()
    {
        return runtime().state();
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o)
    {
        return (T) o;
    }
}
