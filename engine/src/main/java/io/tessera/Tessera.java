package io.tessera;

import io.tessera.internal.ActorRef;
import io.tessera.internal.LocalRuntime;
import io.tessera.internal.ObjectCell;
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
 * The static methods act on the process's one node, held by {@link LocalRuntime}; the typed
 * {@code task(...)} and {@code actor(...)} overloads are generated into {@link TesseraOverloads}.
 */
public final class Tessera extends TesseraOverloads {
    private Tessera() {
    }

    /** Starts an embedded node with zero configuration (or joins {@code TESSERA_ADDRESS} when set). */
    public static void init() {
        init(TesseraConfig.builder().build());
    }

    /**
     * Starts or joins a node as {@code config} says.
     *
     * @throws IllegalStateException when already initialized
     */
    public static void init(TesseraConfig config) {
        LocalRuntime.start(Objects.requireNonNull(config, "config"));
    }

    public static boolean isInitialized() {
        return LocalRuntime.currentOrNull() != null;
    }

    /** Stops the node and frees its shared memory; idempotent. */
    public static void shutdown() {
        LocalRuntime.stop();
    }

    static LocalRuntime runtime() {
        return LocalRuntime.require();
    }

    /** Replaces {@link ObjectRef} arguments by their cells, in place (the array is the caller's copy). */
    static Object[] unwrap(Object[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof ObjectRef<?> ref) {
                args[i] = ref.cell();
            }
        }
        return args;
    }

    /** Puts an immutable copy of {@code value} into the object store ({@code null} allowed). */
    public static <T> ObjectRef<T> put(T value) {
        return new ObjectRef<>(runtime().put(value));
    }

    /** Blocks until the object is ready and returns it; a task's exception is rethrown as {@link TaskException}. */
    public static <T> T get(ObjectRef<T> ref) {
        return cast(runtime().get(ref.cell(), -1));
    }

    /**
     * Waits at most {@code timeout}.
     *
     * @throws GetTimeoutException when the object is not ready in time
     */
    public static <T> T get(ObjectRef<T> ref, Duration timeout) {
        return cast(runtime().get(ref.cell(), Math.max(0, timeout.toNanos())));
    }

    /** The values in the list's order; fails as soon as any element has failed. */
    public static <T> List<T> get(List<ObjectRef<T>> refs) {
        final LocalRuntime rt = runtime();
        final List<ObjectCell> cells = new ArrayList<>(refs.size());
        for (ObjectRef<T> r : refs) {
            cells.add(r.cell());
        }
        final ObjectCell failed = rt.awaitAllOrFirstFailure(cells);
        if (failed != null) {
            rt.get(failed, 0);
        }
        final List<T> out = new ArrayList<>(cells.size());
        for (ObjectCell c : cells) {
            out.add(cast(rt.get(c, -1)));
        }
        return out;
    }

    /**
     * A read-only, zero-copy view of the object's bytes in the store: a primitive array's elements in
     * native byte order, a buffer's bytes, or a serialized object's bytes. Blocks like {@code get}.
     * The view stays valid while the object lives (until it is freed or no ref to it is reachable).
     */
    public static MemorySegment getSegment(ObjectRef<?> ref) {
        return runtime().segment(ref.cell(), -1);
    }

    /**
     * Waits until {@code n} of {@code refs} are ready (a failed ref counts as ready) or the timeout passes.
     *
     * @throws IllegalArgumentException when {@code n} is negative or above {@code refs.size()}
     */
    public static <T> WaitResult<T> wait(List<ObjectRef<T>> refs, int n, Duration timeout) {
        if (n < 0 || n > refs.size()) {
            throw new IllegalArgumentException("n must be between 0 and refs.size() = " + refs.size() + ", got " + n);
        }
        final LocalRuntime rt = runtime();
        final List<ObjectCell> cells = new ArrayList<>(refs.size());
        for (ObjectRef<T> r : refs) {
            cells.add(r.cell());
        }
        final boolean[] done = rt.waitFor(cells, n, timeout.toNanos());
        final List<ObjectRef<T>> ready = new ArrayList<>(n);
        final List<ObjectRef<T>> notReady = new ArrayList<>(refs.size());
        for (int i = 0; i < done.length; i++) {
            if (done[i] && ready.size() < n) {
                ready.add(refs.get(i));
            } else {
                notReady.add(refs.get(i));
            }
        }
        return new WaitResult<>(ready, notReady);
    }

    /** Frees the object now: later {@code get}/{@code getSegment} throw {@link ObjectLostException}. */
    public static void free(ObjectRef<?> ref) {
        runtime().free(ref.cell());
    }

    /** Cancels the task behind {@code ref}: {@code get} throws {@link TaskCancelledException}; no effect once finished. */
    public static void cancel(ObjectRef<?> ref) {
        runtime().cancel(ref.cell());
    }

    /**
     * The live actor registered under {@code name}.
     *
     * @throws IllegalArgumentException when it is not a {@code type}
     */
    public static <A> Optional<ActorHandle<A>> getActor(String name, Class<A> type) {
        final Optional<ActorRef> found = runtime().namedActor(name);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        final Class<?> actual = found.get().actorClass();
        if (actual != null && !type.isAssignableFrom(actual)) {
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
    public static ClusterState state() {
        return runtime().state();
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }
}
