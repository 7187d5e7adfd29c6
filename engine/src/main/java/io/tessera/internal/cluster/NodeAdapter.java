package io.tessera.internal.cluster;

import io.tessera.internal.CallSpec;
import io.tessera.memory.ObjectId;
import io.tessera.transport.Connection;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decodes the messages {@link NodeProxy} encodes (the layouts are documented there) and hands their
 * fields to the node's {@link Handler}: functions and values are read through the job's class loader,
 * stateless functions come from the handler's cache, remote arguments become the handler's cells.
 */
final class NodeAdapter
{
    /** What the node does with each message; requests are answered through the proxies' reply methods. */
    interface Handler
    {
        /** The class loader of a job's shipped class path. */
        ClassLoader loader(String jobId);

        /** Deserialized stateless functions, by class loader and digest (see {@link Wire#readFunction}). */
        Map<Object, Object> functions();

        /** An argument held elsewhere: a cell that completes once it is here. {@code holders}: the primary first. */
        Object remoteArg(ObjectId id, List<String> holders);

        /** The job of an actor alive here, or null when there is no such actor. */
        String jobOfActor(String actorId);

        void onJobClasspath(Connection c, long correlationId, String jobId, List<JobClasspath.Entry> entries);

        /** The namespace of job {@code jobId}'s named actors, as its owner sends it with each task and actor. */
        void jobNamespace(String jobId, String namespace);

        void onSubmitTask(Connection c, long correlationId, String jobId, ObjectId resultId, Object fn, Object[] args, CallSpec spec);

        void onCreateActor(Connection c, long correlationId, String jobId, Object constructor, Object[] args, CallSpec spec);

        /** {@code method} and {@code args} are null when the actor is not alive here; {@code callerJob}: the job of the caller. */
        void onCallActor(Connection c, long correlationId, String actorId, ObjectId resultId, Object method, Object[] args,
                         String callerJob);

        void onKillActor(Connection c, long correlationId, String actorId);

        void onFreeObject(Connection c, ObjectId id);

        /** A task or actor call that cannot be read here (a class missing, a value that does not deserialize). */
        void onUnreadable(Connection c, long correlationId, int type, RuntimeException why);
    }

    private final Handler handler;

    NodeAdapter(Handler handler)
    {
        this.handler = handler;
    }

    /** Decodes a node message and calls the handler; false when {@code type} is not one. */
    boolean onMessage(Connection c, int type, long correlationId, MemorySegment payload)
    {
        final Wire.In in;
        switch (type)
        {
            case Msg.JOB_CLASSPATH, Msg.SUBMIT_TASK, Msg.CREATE_ACTOR, Msg.CALL_ACTOR, Msg.KILL_ACTOR, Msg.FREE_OBJECTS ->
                in = new Wire.In(payload);
            default ->
            {
                return false;
            }
        }
        switch (type)
        {
            case Msg.JOB_CLASSPATH ->
            {
                final String jobId = in.str();
                final int n = in.count();
                final List<JobClasspath.Entry> entries = new ArrayList<>(n);
                for (int i = 0; i < n; i++)
                {
                    entries.add(new JobClasspath.Entry(in.str(), in.str(), in.i64()));
                }
                handler.onJobClasspath(c, correlationId, jobId, entries);
            }
            case Msg.SUBMIT_TASK ->
            {
                final String jobId = in.str();
                final ObjectId id = ObjectId.of(in.i64(), in.i64());
                final ClassLoader loader = handler.loader(jobId);
                final Object fn;
                final Object[] args;
                final CallSpec spec;
                try
                {
                    fn = Wire.readFunction(in, loader, handler.functions());
                    args = readArgs(in, loader);
                    spec = readSpec(in, jobId);
                }
                catch (RuntimeException ex)
                {
                    handler.onUnreadable(c, correlationId, type, ex);
                    return true;
                }
                handler.onSubmitTask(c, correlationId, jobId, id, fn, args, spec);
            }
            case Msg.CREATE_ACTOR ->
            {
                final String jobId = in.str();
                final ClassLoader loader = handler.loader(jobId);
                final Object ctor = Wire.readFunction(in, loader, handler.functions());
                final Object[] args = readArgs(in, loader);
                handler.onCreateActor(c, correlationId, jobId, ctor, args, readSpec(in, jobId));
            }
            case Msg.CALL_ACTOR ->
            {
                final String actorId = in.str();
                final ObjectId resultId = ObjectId.of(in.i64(), in.i64());
                final String callerJob = in.str();
                final String jobId = handler.jobOfActor(actorId);
                if (jobId == null)
                {
                    handler.onCallActor(c, correlationId, actorId, resultId, null, null, callerJob);
                    return true;
                }
                final ClassLoader loader = handler.loader(jobId);
                final Object method;
                final Object[] args;
                try
                {
                    method = Wire.readFunction(in, loader, handler.functions());
                    args = readArgs(in, loader);
                }
                catch (RuntimeException ex)
                {
                    handler.onUnreadable(c, correlationId, type, ex);
                    return true;
                }
                handler.onCallActor(c, correlationId, actorId, resultId, method, args, callerJob);
            }
            case Msg.KILL_ACTOR -> handler.onKillActor(c, correlationId, in.str());
            default ->
            {
                final int n = in.count();
                for (int i = 0; i < n; i++)
                {
                    handler.onFreeObject(c, ObjectId.of(in.i64(), in.i64()));
                }
            }
        }
        return true;
    }

    /** Arguments: values are read here; objects held elsewhere become the handler's cells. */
    private Object[] readArgs(Wire.In in, ClassLoader loader)
    {
        final int n = in.count();
        final Object[] args = new Object[n];
        for (int i = 0; i < n; i++)
        {
            final int tag = in.i32();
            if (tag == Msg.VALUE)
            {
                args[i] = Wire.readValue(in, loader);
            }
            else
            {
                final ObjectId id = ObjectId.of(in.i64(), in.i64());
                final List<String> holders = new ArrayList<>();
                holders.add(in.str());
                final int copies = in.count();
                for (int k = 0; k < copies; k++)
                {
                    holders.add(in.str());
                }
                args[i] = handler.remoteArg(id, holders);
            }
        }
        return args;
    }

    /** Reads what {@link NodeProxy#writeSpec} wrote: null when the owner sent none. */
    private CallSpec readSpec(Wire.In in, String jobId)
    {
        final boolean present = in.bool();
        final CallSpec s = new CallSpec();
        s.cpus = in.f64();
        s.gpus = in.f64();
        s.memoryBytes = in.i64();
        s.custom = in.amounts();
        s.maxRetries = in.i32();
        s.retryExceptions = in.bool();
        s.name = in.str();
        s.maxRestarts = in.i32();
        s.label = in.str();
        s.namespace = in.str();
        s.detached = in.bool();
        final String jobNamespace = in.str();
        if (jobNamespace != null)
        {
            handler.jobNamespace(jobId, jobNamespace);
        }
        return present ? s : null;
    }
}
