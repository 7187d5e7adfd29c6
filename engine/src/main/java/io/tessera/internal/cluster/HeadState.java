package io.tessera.internal.cluster;

import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesOut;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The head node's cluster metadata: nodes (address, total and free resources, last heartbeat),
 * actors (named ones included), object locations and jobs. Mutations are {@link Change}s, applied
 * the same way live and when a restarted head replays its journal.
 */
final class HeadState
{
    /** One node as the head knows it. */
    static final class NodeInfo
    {
        final String nodeId;
        final String address;
        final String host;
        final String storePath;
        final Map<String, Double> total;
        volatile Map<String, Double> free;
        volatile long lastHeartbeatMs;
        volatile long tasksCompleted;
        volatile long taskErrors;
        volatile boolean alive = true;
        /**
         * False for a node known only from the journal of a restarted head, until it registers or
         * heartbeats again: it may have died while the head was away.
         */
        volatile boolean confirmed = true;

        NodeInfo(String nodeId, String address, String host, String storePath, Map<String, Double> total)
        {
            this.nodeId = nodeId;
            this.address = address;
            this.host = host;
            this.storePath = storePath;
            this.total = Map.copyOf(total);
            this.free = Map.copyOf(total);
        }
    }

    /** An actor: where it lives; {@code name} is "" and {@code namespace} "" for an unnamed one. */
    record ActorInfo(String name, String actorId, String nodeId, String nodeAddress, String className, String namespace)
    {
        /** The key of a named actor in {@link #namedActors}: names are unique per namespace. */
        String key()
        {
            return HeadState.key(namespace, name);
        }
    }

    /** The key of {@link #namedActors} for a name in a namespace. */
    static String key(String namespace, String name)
    {
        return namespace + '\0' + name;
    }

    final Map<String, NodeInfo> nodes = new ConcurrentHashMap<>();
    /** Named actors by {@link #key(String, String)} (namespace, name). */
    final Map<String, ActorInfo> namedActors = new ConcurrentHashMap<>();
    /** Every live actor by id (named ones too; the name is "" when there is none). */
    final Map<String, ActorInfo> actors = new ConcurrentHashMap<>();
    final Map<String, List<String>> objectLocations = new ConcurrentHashMap<>();
    final Map<String, String> jobs = new ConcurrentHashMap<>();
    /**
     * Every running job and the last {@link io.tessera.state.ClusterState#JOBS_KEPT} ended ones, with their
     * times, for the state API; guarded by itself. Dated when a change is applied: a replayed journal dates its
     * jobs at the head's restart.
     */
    private final Map<String, io.tessera.state.JobInfo> jobTable = new LinkedHashMap<>();
    /** The jobs API's submission records (issue #16), by submission id. */
    final Map<String, String> submissions = new ConcurrentHashMap<>();

    /** A journaled mutation. */
    sealed interface Change
    {
        byte NODE_UP = 1;
        byte NODE_DOWN = 2;
        byte ACTOR_NAMED = 3;
        byte ACTOR_GONE = 4;
        byte OBJECT_AT = 5;
        byte OBJECT_GONE = 6;
        byte JOB_STARTED = 7;
        byte ACTOR_UP = 8;
        byte ACTOR_DOWN = 9;
        byte JOB_ENDED = 10;
        byte SUBMISSION = 11;
        /** {@link #ACTOR_NAMED} with a namespace (journals before namespaces hold the former, read as namespace ""). */
        byte ACTOR_NAMED_IN = 12;
        /** {@link #ACTOR_GONE} with a namespace. */
        byte ACTOR_GONE_IN = 13;
        /** {@link #ACTOR_UP} with a namespace. */
        byte ACTOR_UP_IN = 14;

        void write(BytesOut<?> b);

        void apply(HeadState s);

        static Change read(BytesIn<?> b)
        {
            final byte type = b.readByte();
            return switch (type)
            {
                case NODE_UP ->
                {
                    final String id = b.readUtf8();
                    final String address = b.readUtf8();
                    final String host = b.readUtf8();
                    final String store = b.readUtf8();
                    final int n = b.readInt();
                    final Map<String, Double> total = new LinkedHashMap<>();
                    for (int i = 0; i < n; i++)
                    {
                        total.put(b.readUtf8(), b.readDouble());
                    }
                    yield new NodeUp(id, address, host, store, total);
                }
                case NODE_DOWN -> new NodeDown(b.readUtf8());
                case ACTOR_NAMED -> new ActorNamed(readActor(b, ""));
                case ACTOR_GONE -> new ActorGone("", b.readUtf8(), b.readUtf8());
                case ACTOR_NAMED_IN ->
                {
                    final String namespace = b.readUtf8();
                    yield new ActorNamed(readActor(b, namespace));
                }
                case ACTOR_GONE_IN -> new ActorGone(b.readUtf8(), b.readUtf8(), b.readUtf8());
                case ACTOR_UP_IN ->
                {
                    final String namespace = b.readUtf8();
                    yield new ActorUp(readActor(b, namespace));
                }
                case OBJECT_AT -> new ObjectAt(b.readUtf8(), b.readUtf8());
                case OBJECT_GONE -> new ObjectGone(b.readUtf8());
                case JOB_STARTED -> new JobStarted(b.readUtf8(), b.readUtf8());
                case ACTOR_UP -> new ActorUp(readActor(b, ""));
                case ACTOR_DOWN -> new ActorDown(b.readUtf8());
                case JOB_ENDED -> new JobEnded(b.readUtf8());
                case SUBMISSION -> new Submission(b.readUtf8(), b.readBoolean() ? b.readUtf8() : null);
                default -> throw new IllegalStateException("head journal holds an unknown change type " + type);
            };
        }
    }

    private static void writeActor(BytesOut<?> b, ActorInfo a)
    {
        b.writeUtf8(a.name()).writeUtf8(a.actorId()).writeUtf8(a.nodeId()).writeUtf8(a.nodeAddress()).writeUtf8(a.className());
    }

    /** Reads what {@link #writeActor} wrote (which leaves the namespace out: the caller knows it). */
    private static ActorInfo readActor(BytesIn<?> b, String namespace)
    {
        return new ActorInfo(b.readUtf8(), b.readUtf8(), b.readUtf8(), b.readUtf8(), b.readUtf8(), namespace);
    }

    record NodeUp(String nodeId, String address, String host, String storePath, Map<String, Double> total) implements Change
    {
        @Override
        public void write(BytesOut<?> b)
        {
            b.writeByte(NODE_UP).writeUtf8(nodeId).writeUtf8(address).writeUtf8(host).writeUtf8(storePath);
            b.writeInt(total.size());
            total.forEach((k, v) -> b.writeUtf8(k).writeDouble(v));
        }

        @Override
        public void apply(HeadState s)
        {
            s.nodes.put(nodeId, new NodeInfo(nodeId, address, host, storePath, total));
        }
    }

    record NodeDown(String nodeId) implements Change
    {
        @Override
        public void write(BytesOut<?> b)
        {
            b.writeByte(NODE_DOWN).writeUtf8(nodeId);
        }

        @Override
        public void apply(HeadState s)
        {
            final NodeInfo n = s.nodes.get(nodeId);
            if (n != null)
            {
                n.alive = false;
            }
            s.namedActors.values().removeIf(a -> a.nodeId().equals(nodeId));
            s.actors.values().removeIf(a -> a.nodeId().equals(nodeId));
            s.objectLocations.values().forEach(l -> l.remove(nodeId));
        }
    }

    record ActorNamed(ActorInfo actor) implements Change
    {
        @Override
        public void write(BytesOut<?> b)
        {
            writeActor(b.writeByte(ACTOR_NAMED_IN).writeUtf8(actor.namespace()), actor);
        }

        @Override
        public void apply(HeadState s)
        {
            s.namedActors.put(actor.key(), actor);
        }
    }

    record ActorUp(ActorInfo actor) implements Change
    {
        @Override
        public void write(BytesOut<?> b)
        {
            writeActor(b.writeByte(ACTOR_UP_IN).writeUtf8(actor.namespace()), actor);
        }

        @Override
        public void apply(HeadState s)
        {
            s.actors.put(actor.actorId(), actor);
        }
    }

    record ActorDown(String actorId) implements Change
    {
        @Override
        public void write(BytesOut<?> b)
        {
            b.writeByte(ACTOR_DOWN).writeUtf8(actorId);
        }

        @Override
        public void apply(HeadState s)
        {
            s.actors.remove(actorId);
        }
    }

    record ActorGone(String namespace, String name, String actorId) implements Change
    {
        @Override
        public void write(BytesOut<?> b)
        {
            b.writeByte(ACTOR_GONE_IN).writeUtf8(namespace).writeUtf8(name).writeUtf8(actorId);
        }

        @Override
        public void apply(HeadState s)
        {
            s.namedActors.computeIfPresent(key(namespace, name), (k, a) -> a.actorId().equals(actorId) ? null : a);
        }
    }

    record ObjectAt(String objectId, String nodeId) implements Change
    {
        @Override
        public void write(BytesOut<?> b)
        {
            b.writeByte(OBJECT_AT).writeUtf8(objectId).writeUtf8(nodeId);
        }

        @Override
        public void apply(HeadState s)
        {
            s.objectLocations.computeIfAbsent(objectId, k -> new ArrayList<>()).add(nodeId);
        }
    }

    record ObjectGone(String objectId) implements Change
    {
        @Override
        public void write(BytesOut<?> b)
        {
            b.writeByte(OBJECT_GONE).writeUtf8(objectId);
        }

        @Override
        public void apply(HeadState s)
        {
            s.objectLocations.remove(objectId);
        }
    }

    record JobStarted(String jobId, String driver) implements Change
    {
        @Override
        public void write(BytesOut<?> b)
        {
            b.writeByte(JOB_STARTED).writeUtf8(jobId).writeUtf8(driver);
        }

        @Override
        public void apply(HeadState s)
        {
            s.jobs.put(jobId, driver);
            synchronized (s.jobTable)
            {
                s.jobTable.remove(jobId);
                s.jobTable.put(jobId, new io.tessera.state.JobInfo(jobId, driver, io.tessera.state.JobStatus.RUNNING,
                    System.currentTimeMillis(), 0));
            }
        }
    }

    record JobEnded(String jobId) implements Change
    {
        @Override
        public void write(BytesOut<?> b)
        {
            b.writeByte(JOB_ENDED).writeUtf8(jobId);
        }

        @Override
        public void apply(HeadState s)
        {
            s.jobs.remove(jobId);
            s.jobEnded(jobId);
        }
    }

    private void jobEnded(String jobId)
    {
        synchronized (jobTable)
        {
            final io.tessera.state.JobInfo j = jobTable.get(jobId);
            if (j != null)
            {
                jobTable.put(jobId, new io.tessera.state.JobInfo(jobId, j.driver(), io.tessera.state.JobStatus.FINISHED,
                    j.startedAtMs(), System.currentTimeMillis()));
            }
            long ended = jobTable.values().stream().filter(i -> i.endedAtMs() != 0).count();
            for (var it = jobTable.values().iterator(); it.hasNext() && ended > io.tessera.state.ClusterState.JOBS_KEPT;)
            {
                if (it.next().endedAtMs() != 0)
                {
                    it.remove();
                    ended--;
                }
            }
        }
    }

    /** The jobs for the state API: running ones and recently ended ones, oldest first (a snapshot). */
    List<io.tessera.state.JobInfo> jobInfos()
    {
        synchronized (jobTable)
        {
            return List.copyOf(jobTable.values());
        }
    }

    /** A submission record written (or, with a null record, removed) by the jobs API. */
    record Submission(String submissionId, String record) implements Change
    {
        @Override
        public void write(BytesOut<?> b)
        {
            b.writeByte(SUBMISSION).writeUtf8(submissionId).writeBoolean(record != null);
            if (record != null)
            {
                b.writeUtf8(record);
            }
        }

        @Override
        public void apply(HeadState s)
        {
            if (record == null)
            {
                s.submissions.remove(submissionId);
            }
            else
            {
                s.submissions.put(submissionId, record);
            }
        }
    }

    /** Live nodes by id (a snapshot). */
    Map<String, NodeInfo> liveNodes()
    {
        final Map<String, NodeInfo> m = new HashMap<>();
        nodes.forEach((k, v) ->
        {
            if (v.alive)
            {
                m.put(k, v);
            }
        });
        return m;
    }
}
