/**
 * The embedded node behind {@code io.tessera}: object cells, invocations, actors and the runtime
 * wiring the object store, the local scheduler and the GPUs. Not API: may change at any time.
 *
 * <h2>Layers</h2>
 * Dependencies point one way (checked by {@code ArchitectureTest}: no two files depend on each other,
 * directly or through others). From the bottom: {@link io.tessera.internal.CallSpec},
 * {@link io.tessera.internal.ValueCodec}, {@link io.tessera.internal.StoredObject},
 * {@link io.tessera.internal.ObjectCell}; {@link io.tessera.internal.ActorRef},
 * {@link io.tessera.internal.RemoteExecutor} (the cluster's side, implemented in {@code .cluster}),
 * {@link io.tessera.internal.Node} (what the public API calls) and {@link io.tessera.internal.CurrentNode}
 * (the one holder of the running node); {@link io.tessera.internal.Invocation}, which reaches its node
 * only through {@link io.tessera.internal.InvocationHost}; then the node's parts,
 * {@link io.tessera.internal.NodeResources}, {@link io.tessera.internal.TaskSubmitter},
 * {@link io.tessera.internal.ObjectDirectory} and {@link io.tessera.internal.ActorDirectory}; and on top
 * {@link io.tessera.internal.LocalRuntime}, which wires them and implements {@code Node} and
 * {@code InvocationHost}. {@code io.tessera.internal.launch.NodeLauncher} makes it and attaches the
 * cluster member; nothing here names {@code io.tessera.internal.cluster}.
 *
 * <h2>The path of one task</h2>
 * {@code ObjectRef<Integer> r = Tessera.task(Demo::square, 4).remote(); int v = r.get();}
 * <ol>
 * <li>{@code TesseraOverloads.task} (generated; {@code Tessera} extends it) packs the arguments into an
 *     {@code Object[]} and makes a {@code TaskCall} holding {@link io.tessera.internal.CurrentNode#require()}.</li>
 * <li>{@code TaskCall.remote()} turns its {@code TaskOptions} into a {@link io.tessera.internal.CallSpec}
 *     (null without options), replaces {@code ObjectRef} arguments by their cells
 *     ({@code ObjectRef.unwrap}) and calls {@link io.tessera.internal.Node#submitTask}: one interface
 *     call, monomorphic, into {@link io.tessera.internal.LocalRuntime#submitTask}, which checks the node
 *     is open and hands over to {@link io.tessera.internal.TaskSubmitter}.</li>
 * <li>{@code TaskSubmitter.submitTask}: {@link io.tessera.internal.FnInfo} (name, {@code @Resources},
 *     the default request, cached per lambda class), {@link io.tessera.internal.Invoker#checkArity},
 *     the request and whether this node could ever grant it. With a cluster attached, a task that cannot
 *     run here, any task of a driver, and one whose CPUs are busy here while another node has them free go
 *     to {@link io.tessera.internal.RemoteExecutor#submitTask} with a fresh pending cell. Otherwise the
 *     arguments are checked to be serializable and {@code submitLocal} makes the result's
 *     {@link io.tessera.internal.ObjectCell}, the {@link io.tessera.internal.Invocation} (attempt 0, its
 *     host the {@code LocalRuntime}, as many pending dependencies as argument cells not done), records it
 *     as the cell's producer, submits it to the {@code LocalScheduler} and has each pending argument
 *     cell count it down on completion ({@code watchDependencies}).</li>
 * <li>{@code remote()} returns {@code new ObjectRef<>(cell)}.</li>
 * <li>The scheduler (module {@code scheduler}) grants the request once the dependencies are in and a
 *     worker calls {@code Invocation.run(grant)}: it becomes the thread's {@link io.tessera.internal.RunningTask}
 *     (what {@code TaskContext.current()} returns), switches to the function's class loader, resolves
 *     argument cells to values ({@link io.tessera.internal.InvocationHost#valueOf}), calls the function
 *     ({@code Invoker.invoke}) and completes the cell through {@link io.tessera.internal.InvocationHost#complete}:
 *     {@code ObjectDirectory.completeWithValue} keeps the value inline, puts a raw value over
 *     {@code INLINE_MAX_BYTES} into the object store ({@link io.tessera.internal.ValueCodec},
 *     {@link io.tessera.internal.StoredObject}) or a {@code GpuBuffer} in
 *     {@link io.tessera.internal.GpuObjects}. The cell's completion is one CAS; it wakes the waiters and
 *     runs the callbacks (dependent tasks). A failure is retried as a fresh {@code Invocation} on the same
 *     cell while the budget lasts, else the cell fails with a {@code TaskException}.</li>
 * <li>{@code r.get()} calls {@link io.tessera.internal.Node#get} on the current node, into
 *     {@code ObjectDirectory.get}: when the caller is itself a task and the result's task is still queued,
 *     it takes that task out of the scheduler and runs it on its own thread ({@code Invocation.canRunInside},
 *     {@code runInline}); then it waits on the cell ({@code ObjectCell.await}: spin, yield, park) and
 *     returns the inline value (a buffer or segment read-only), or decodes it from the store, or rethrows
 *     the failure.</li>
 * </ol>
 */
package io.tessera.internal;
