package io.tessera.internal.cluster;

import io.tessera.TesseraException;
import io.tessera.internal.CallSpec;
import io.tessera.internal.NodeRecords;
import io.tessera.internal.ObjectCopy;
import io.tessera.memory.ObjectId;
import io.tessera.state.ActorInfo;
import io.tessera.state.ActorStatus;
import io.tessera.state.JobInfo;
import io.tessera.state.JobStatus;
import io.tessera.state.TaskInfo;
import io.tessera.state.TaskStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import static io.tessera.internal.cluster.Recorder.call;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every control message encoded by its proxy and decoded by its adapter in this process (no
 * sockets): the handler sees the fields that were sent, and the requester sees the reply's.
 */
@Timeout(60)
class ProtocolRoundTripTest
{
    private static final Map<String, Double> TOTAL = amounts("CPU", 4.0, "GPU", 1.0, "memory", 8e9, "zone-a", 0.5);
    private static final ObjectId ID = ObjectId.of(0x1234_5678_9abc_def0L, -42L);

    /** A stateful function (its fields travel). */
    record Scale(int factor) implements Serializable
    {
    }

    /** A stateless function (sent with a digest; nodes keep one instance). */
    record Identity() implements Serializable
    {
    }

    private static Map<String, Double> amounts(Object... kv)
    {
        final Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2)
        {
            m.put((String) kv[i], (Double) kv[i + 1]);
        }
        return m;
    }

    // ------------------------------------------------------------------ head

    @Test
    void shouldCarryEveryHeadMessageAndReply()
    {
        final List<NodeView> nodes = List.of(
            new NodeView("n1", "10.0.0.1:7001", "10.0.0.1", "/dev/shm/n1", true, TOTAL, amounts("CPU", 1.5)),
            new NodeView("n2", "10.0.0.2:7001", "10.0.0.2", "/dev/shm/n2", false, Map.of(), Map.of()));
        final HeadState.ActorInfo actor = new HeadState.ActorInfo("counter", "a-7", "n1", "10.0.0.1:7001", "com.example.Counter", "ns");
        final Recorder r = new Recorder()
            .answer("onRegister", a -> reply(() -> HeadProxy.registered((Loopback) a[0], (long) a[1])))
            .answer("onView", a -> reply(() -> HeadProxy.replyView((Loopback) a[0], (long) a[1], nodes)))
            .answer("onStatus", a -> reply(() -> HeadProxy.replyStatus((Loopback) a[0], (long) a[1], "nodes: 1 alive\n")))
            .answer("onNameActor", a -> reply(() -> HeadProxy.replyNameActor((Loopback) a[0], (long) a[1],
                ((HeadState.ActorInfo) a[2]).actorId().equals("a-7") ? null : "actor a-7 on node n1")))
            .answer("onLookupActor", a -> reply(() -> HeadProxy.replyLookupActor((Loopback) a[0], (long) a[1],
                a[2].equals("ns") && a[3].equals("counter") ? actor : null)))
            .answer("onJobEnd", a -> reply(() -> HeadProxy.jobEnded((Loopback) a[0], (long) a[1])));
        final HeadAdapter adapter = new HeadAdapter(r.as(HeadAdapter.Handler.class));
        final Loopback head = new Loopback().to(adapter::onMessage);

        HeadProxy.register(head, "n1", "10.0.0.1:7001", "10.0.0.1", "/dev/shm/n1", TOTAL).join();
        assertEquals(call("onRegister", "n1", "10.0.0.1:7001", "10.0.0.1", "/dev/shm/n1", TOTAL), r.last());
        HeadProxy.heartbeat(head, "n1", amounts("CPU", 1.5, "zone-a", 0.25), 1_000_000_007L, 3L);
        assertEquals(call("onHeartbeat", "n1", amounts("CPU", 1.5, "zone-a", 0.25), 1_000_000_007L, 3L), r.last());
        assertEquals(nodes, HeadProxy.view(head).join());
        assertEquals("nodes: 1 alive\n", HeadProxy.status(head).join());
        assertNull(HeadProxy.nameActor(head, actor).join(), "the name was given");
        assertEquals(call("onNameActor", actor), r.last());
        final HeadState.ActorInfo other = new HeadState.ActorInfo("counter", "a-8", "n2", "10.0.0.2:7001", null, "ns");
        assertEquals("actor a-7 on node n1", HeadProxy.nameActor(head, other).join());
        assertEquals(call("onNameActor", other), r.last(), "a null class name travels as null");
        assertEquals(actor, HeadProxy.lookupActor(head, "ns", "counter").join());
        assertEquals(call("onLookupActor", "ns", "counter"), r.last());
        assertNull(HeadProxy.lookupActor(head, "other", "counter").join(), "the name in another namespace is another name");
        assertNull(HeadProxy.lookupActor(head, "ns", "nobody").join());
        HeadProxy.unnameActor(head, "ns", "counter", "a-7");
        assertEquals(call("onUnnameActor", "ns", "counter", "a-7"), r.last());
        HeadProxy.actorUp(head, actor);
        assertEquals(call("onActorUp", actor), r.last());
        HeadProxy.actorDown(head, "a-7");
        assertEquals(call("onActorDown", "a-7"), r.last());
        HeadProxy.objectAt(head, ID.toString(), "n1");
        assertEquals(call("onObjectAt", ID.toString(), "n1"), r.last());
        HeadProxy.objectGone(head, ID.toString());
        assertEquals(call("onObjectGone", ID.toString()), r.last());
        HeadProxy.job(head, "job-1", "10.0.0.9:40001");
        assertEquals(call("onJob", "job-1", "10.0.0.9:40001"), r.last());
        HeadProxy.jobEnd(head, "job-1").join();
        assertEquals(call("onJobEnd", "job-1"), r.last());

        assertEquals(List.of(Msg.REGISTER, Msg.HEARTBEAT, Msg.VIEW, Msg.STATUS, Msg.NAME_ACTOR, Msg.NAME_ACTOR, Msg.LOOKUP_ACTOR,
            Msg.LOOKUP_ACTOR, Msg.LOOKUP_ACTOR,
            Msg.UNNAME_ACTOR, Msg.ACTOR_UP, Msg.ACTOR_DOWN, Msg.OBJECT_AT, Msg.OBJECT_GONE, Msg.JOB, Msg.JOB_END),
            head.types);
    }

    @Test
    void shouldRefuseARegistrationWithoutAnAddress()
    {
        final Recorder r = new Recorder();
        final Loopback head = new Loopback().to(new HeadAdapter(r.as(HeadAdapter.Handler.class))::onMessage);
        assertThrows(TesseraException.class, () -> HeadProxy.register(head, "n1", "no-port", "h", "/s", TOTAL));
        assertThrows(TesseraException.class, () -> HeadProxy.register(head, null, "h:1", "h", "/s", TOTAL));
        assertEquals(List.of(), r.calls, "a malformed REGISTER reaches no handler");
    }

    // ------------------------------------------------------------------ node

    @Test
    void shouldCarryEveryNodeMessageAndReply()
    {
        final Map<Object, Object> functions = new ConcurrentHashMap<>();
        final ClassLoader loader = getClass().getClassLoader();
        final Recorder r = new Recorder()
            .answer("loader", a -> loader)
            .answer("functions", a -> functions)
            .answer("remoteArg", a -> new NodeProxy.Ref((ObjectId) a[0], "pulled", ((List<?>) a[1]).stream().map(String::valueOf).toList()))
            .answer("jobOfActor", a -> a[0].equals("a-7") ? "job-1" : null)
            .answer("onJobClasspath", a -> reply(() -> NodeProxy.classpathCached((Loopback) a[0], (long) a[1])))
            .answer("onSubmitTask", a -> reply(() -> ((Loopback) a[0]).reply((long) a[1], Msg.SUBMIT_TASK, OwnerProxy.value(99))))
            .answer("onCreateActor", a -> reply(() -> NodeProxy.actorCreated((Loopback) a[0], (long) a[1], "a-7", "com.example.Counter")))
            .answer("onCallActor", a -> reply(() -> ((Loopback) a[0]).reply((long) a[1], Msg.CALL_ACTOR,
                OwnerProxy.stored("n1", "10.0.0.1:7001", 1L << 33))))
            .answer("onKillActor", a -> reply(() -> NodeProxy.actorKilled((Loopback) a[0], (long) a[1])));
        final NodeAdapter adapter = new NodeAdapter(r.as(NodeAdapter.Handler.class));
        final Loopback node = new Loopback().to(adapter::onMessage);

        final List<JobClasspath.Entry> entries = List.of(new JobClasspath.Entry("app.jar", "ab".repeat(32), 123_456L),
            new JobClasspath.Entry("classes", "cd".repeat(32), 0L));
        NodeProxy.jobClasspath(node, "job-1", entries).join();
        assertEquals(call("onJobClasspath", "job-1", entries), r.last());

        final Object[] args = {42, "text", null, 2.5, new NodeProxy.Encoded(encodedValue(List.of(1, 2))), 7L,
            new NodeProxy.Ref(ID, "10.0.0.2:7001", List.of("10.0.0.3:7001", "10.0.0.4:7001"))};
        final Object[] decoded = {42, "text", null, 2.5, List.of(1, 2), 7L,
            new NodeProxy.Ref(ID, "pulled", List.of("10.0.0.2:7001", "10.0.0.3:7001", "10.0.0.4:7001"))};
        final CallSpec spec = new CallSpec();
        spec.cpus = 2;
        spec.gpus = 0.5;
        spec.memoryBytes = 1L << 30;
        spec.custom = amounts("zone-a", 1.0);
        spec.maxRetries = 5;
        spec.retryExceptions = true;
        spec.name = "train";
        spec.maxRestarts = 2;
        spec.namespace = "ns";
        spec.detached = true;
        final byte[] task = NodeProxy.task(null, "job-1", ID, new Scale(3), args, spec);
        final byte[] result = NodeProxy.submitTask(node, task, null, "10.0.0.1:7001").join();
        List<Object> c = r.last();
        assertEquals(List.of("onSubmitTask", "job-1", ID, new Scale(3)), c.subList(0, 4));
        assertArrayEquals(decoded, (Object[]) c.get(4));
        assertSpec(spec, (CallSpec) c.get(5));
        final Wire.In value = new Wire.In(result);
        assertEquals(Msg.VALUE, value.i32());
        assertEquals(99, Wire.readValue(value, loader));

        NodeProxy.submitTask(node, NodeProxy.task(null, "job-1", ID, new Identity(), new Object[0], null), null, "n").join();
        assertEquals(call("onSubmitTask", "job-1", ID, new Identity()), r.last().subList(0, 4));
        assertNull(r.last().get(5), "no spec sent, none read");
        final Object once = r.last().get(3);
        NodeProxy.submitTask(node, NodeProxy.task(null, "job-1", ID, new Identity(), new Object[0], null), null, "n").join();
        assertSame(once, r.last().get(3), "a stateless function is deserialized once");

        final NodeProxy.Created created = NodeProxy.createActor(node, NodeProxy.actor(null, "job-1", new Scale(1),
            new Object[] {"x"}, spec)).join();
        assertEquals(new NodeProxy.Created("a-7", "com.example.Counter"), created);
        c = r.last();
        assertEquals(List.of("onCreateActor", "job-1", new Scale(1)), c.subList(0, 3));
        assertArrayEquals(new Object[] {"x"}, (Object[]) c.get(3));
        assertSpec(spec, (CallSpec) c.get(4));

        final Sent sent = new Sent("call of actor #a-7");
        final byte[] stored = NodeProxy.callActor(node, NodeProxy.call(null, "a-7", ID, new Scale(2), new Object[] {1}),
            sent, "10.0.0.1:7001").join();
        c = r.last();
        assertEquals(List.of("onCallActor", "a-7", ID, new Scale(2)), c.subList(0, 4));
        assertArrayEquals(new Object[] {1}, (Object[]) c.get(4));
        assertEquals("", c.get(5), "the caller's job: none outside a node");
        assertEquals("10.0.0.1:7001", sent.at, "the cancel guard knows where the call went");
        final Wire.In s = new Wire.In(stored);
        assertEquals(List.of(Msg.STORED, "n1", "10.0.0.1:7001", 1L << 33), List.of(s.i32(), s.str(), s.str(), s.i64()));

        NodeProxy.callActor(node, NodeProxy.call(null, "gone", ID, new Scale(2), new Object[0]), new Sent("x"), "n").join();
        assertEquals(call("onCallActor", "gone", ID, null, null, ""), r.last(),
            "a call to an actor not here is not decoded further; the caller's job travels (\"\" outside a node)");

        sent.cancelled = true;
        final int before = node.types.size();
        final CompletableFuture<byte[]> cancelled = NodeProxy.callActor(node, NodeProxy.call(null, "a-7", ID, new Scale(2),
            new Object[0]), sent, "n");
        assertTrue(cancelled.isCompletedExceptionally());
        assertEquals(before, node.types.size(), "a cancelled call is not sent");

        NodeProxy.killActor(node, "a-7").join();
        assertEquals(call("onKillActor", "a-7"), r.last());
        NodeProxy.freeObject(node, ID);
        assertEquals(call("onFreeObject", ID), r.last());
    }

    /** An argument that cannot be read on the node. */
    record Poison() implements Serializable
    {
        private Object readResolve()
        {
            throw new IllegalStateException("cannot be read here");
        }
    }

    @Test
    void shouldReportATaskTheNodeCannotRead()
    {
        final ClassLoader loader = getClass().getClassLoader();
        final Recorder r = new Recorder().answer("loader", a -> loader).answer("functions", a -> new ConcurrentHashMap<>())
            .answer("onUnreadable", a -> reply(() -> ((Loopback) a[0]).reply((long) a[1], (int) a[2],
                OwnerProxy.error(Wire.serialize((RuntimeException) a[3])))));
        final Loopback node = new Loopback().to(new NodeAdapter(r.as(NodeAdapter.Handler.class))::onMessage);
        final byte[] reply = NodeProxy.submitTask(node, NodeProxy.task(null, "job-1", ID, new Scale(3),
            new Object[] {new Poison()}, null), null, "n").join();
        assertEquals("onUnreadable", r.last().getFirst());
        assertEquals(Msg.SUBMIT_TASK, r.last().get(1));
        final Wire.In in = new Wire.In(reply);
        assertEquals(Msg.ERROR, in.i32());
        assertEquals("cannot be read here", assertInstanceOf(IllegalStateException.class,
            Wire.deserialize(in.bytes(), getClass().getClassLoader())).getMessage());
    }

    // ------------------------------------------------------------------ owner

    private static final NodeRecords RECORDS = new NodeRecords(
        List.of(new TaskInfo("7f-1", "Demo.square", TaskStatus.FAILED, "node-1", "tessera-worker-0", "job-1", 2, 1_700_000_000_000L,
                11, 22, 33, "java.lang.IllegalStateException: boom", 1_700_000_000_000_123L),
            new TaskInfo("7f-2", "Demo.wait", TaskStatus.WAITING_FOR_ARGS, "node-1", null, "job-1", 0, 1L, 0, 0, 0, null, 0)),
        List.of(new ActorInfo("7f-3", "demo.Counter", "counter", ActorStatus.DEAD, "node-2", "job-1", 1, "killed", "ns"),
            new ActorInfo("7f-4", "demo.Counter", null, ActorStatus.ALIVE, "node-2", "job-1", 0, null)),
        42,
        List.of(new ObjectCopy("000000000000007f0000000000000001", 1 << 20, "node-1", "job-1", 1, false, false, 1_700_000_000_001L),
            new ObjectCopy("000000000000007f0000000000000005", 300_000, "node-2", null, 0, true, true, 5L)),
        Map.of(0x7fL, "node-1", -3L, "node-2"),
        List.of(new JobInfo("job-1", "127.0.0.1:7000", JobStatus.RUNNING, 1_700_000_000_000L, 0),
            new JobInfo("job-0", "127.0.0.1:7001", JobStatus.FINISHED, 1L, 2L)));

    @Test
    void shouldCarryEveryOwnerMessageAndReply()
    {
        final Map<String, Long> stats = new LinkedHashMap<>();
        stats.put("heapUsedBytes", 123_456_789L);
        stats.put("openFiles", -1L);
        final byte[] chunk = {1, 2, 3, 4, 5};
        final Recorder r = new Recorder()
            .answer("onNodeStats", a -> reply(() -> OwnerProxy.replyNodeStats((Loopback) a[0], (long) a[1], stats)))
            .answer("onFetchJar", a -> reply(() -> OwnerProxy.replyJarChunk((Loopback) a[0], (long) a[1], chunk)))
            .answer("onStateQuery", a -> reply(() -> OwnerProxy.replyState((Loopback) a[0], (long) a[1], RECORDS)))
            .answer("onGetObject", a -> reply(() -> OwnerProxy.replyObject((Loopback) a[0], (long) a[1],
                OwnerProxy.storedAt("10.0.0.2:7001"))))
            .answer("onRecreateObject", a -> reply(() -> OwnerProxy.replyRecreated((Loopback) a[0], (long) a[1],
                OwnerProxy.error(Wire.serialize(new IllegalStateException("no lineage"))))));
        final OwnerAdapter adapter = new OwnerAdapter(r.as(OwnerAdapter.Handler.class));
        final Loopback owner = new Loopback().to(adapter::onMessage);

        OwnerProxy.role(owner, "driver");
        assertEquals(call("onRole", "driver"), r.last());
        OwnerProxy.nodeDead(List.of(owner, owner), "n2", "10.0.0.2:7001");
        assertEquals(List.of(call("onNodeDead", "n2", "10.0.0.2:7001"), call("onNodeDead", "n2", "10.0.0.2:7001")),
            r.calls.subList(1, 3), "one body to every member");
        OwnerProxy.jobGone(List.of(owner), "job-1", "");
        assertEquals(call("onJobGone", "job-1", ""), r.last());
        assertEquals(stats, OwnerProxy.nodeStats(owner, true).join());
        assertEquals(call("onNodeStats", true), r.last());
        assertArrayEquals(chunk, OwnerProxy.fetchJar(owner, "ab".repeat(32), 524_288L).join());
        assertEquals(call("onFetchJar", "ab".repeat(32), 524_288L), r.last());

        final Wire.In lent = new Wire.In(OwnerProxy.getObject(owner, ID).join());
        assertEquals(call("onGetObject", ID), r.last());
        assertEquals(List.of(Msg.STORED, "10.0.0.2:7001"), List.of(lent.i32(), lent.str()));
        OwnerProxy.releaseRef(owner, ID);
        assertEquals(call("onReleaseRef", ID), r.last());
        final Wire.In failed = new Wire.In(OwnerProxy.recreateObject(owner, ID, "10.0.0.2:7001").join());
        assertEquals(call("onRecreateObject", ID, "10.0.0.2:7001"), r.last());
        assertEquals(Msg.ERROR, failed.i32());
        assertEquals("no lineage", ((RuntimeException) Wire.deserialize(failed.bytes(), getClass().getClassLoader())).getMessage());
        OwnerProxy.cancel(owner, ID);
        assertEquals(call("onCancel", ID), r.last());
        assertEquals(RECORDS, OwnerProxy.stateQuery(owner, true).join(), "every field, nulls included");
        assertEquals(call("onStateQuery", true), r.last());

        assertEquals(List.of(Msg.ROLE, Msg.NODE_DEAD, Msg.NODE_DEAD, Msg.JOB_GONE, Msg.NODE_STATS, Msg.FETCH_JAR, Msg.GET_OBJECT,
            Msg.RELEASE_REF, Msg.RECREATE_OBJECT, Msg.CANCEL, Msg.STATE_QUERY), owner.types);
    }

    @Test
    void shouldCarryEveryLogMessageAndReply()
    {
        final LogLines lines = new LogLines(List.of("(Counter.add pid=4711 node=10.0.0.2:7001) hello", "(f pid=1 node=n) é ✓"),
            Map.of("job-j1.log", 1234L));
        final Recorder r = new Recorder()
            .answer("onLogs", a -> reply(() -> LogProxy.replyLines((Loopback) a[0], (long) a[1], Msg.LOGS, lines)))
            .answer("onNodeLogs", a -> reply(() -> LogProxy.replyLines((Loopback) a[0], (long) a[1], Msg.NODE_LOGS, lines)));
        final LogAdapter adapter = new LogAdapter(r.as(LogAdapter.Handler.class));
        final Loopback peer = new Loopback().to(adapter::onMessage);

        final List<io.tessera.internal.BoundedLines.Line> sent = List.of(
            new io.tessera.internal.BoundedLines.Line("j1", false, "(f pid=1 node=a:1) out"),
            new io.tessera.internal.BoundedLines.Line("j1", true, "(f pid=1 node=a:1) err"));
        final byte[] body = LogProxy.taskLogs("j1", sent);
        LogProxy.sendTaskLogs(peer, body);
        assertEquals("onTaskLogs", r.last().get(0));
        assertEquals("j1", r.last().get(1));
        assertArrayEquals(body, (byte[]) r.last().get(2), "forwarded as it came");
        LogProxy.forwardToDriver(peer, body);
        assertEquals(call("onDriverLogs", "j1", sent), r.last());

        final LogQuery q = new LogQuery(null, "counter", null, 20, Map.of("n1/job-j1.log", 99L));
        assertEquals(lines, LogProxy.logs(peer, q).join());
        assertEquals(call("onLogs", q), r.last());
        assertEquals(lines, LogProxy.nodeLogs(peer, LogProxy.ACTOR, "Counter", 5, Map.of("job-j1.log", 7L)).join());
        assertEquals(call("onNodeLogs", LogProxy.ACTOR, "Counter", 5, Map.of("job-j1.log", 7L)), r.last());
        assertEquals(List.of(Msg.TASK_LOGS, Msg.DRIVER_LOGS, Msg.LOGS, Msg.NODE_LOGS), peer.types);
    }

    @Test
    void shouldNotDecodeOtherPeersMessages()
    {
        final Recorder r = new Recorder();
        final byte[] empty = new byte[0];
        final java.lang.foreign.MemorySegment none = java.lang.foreign.MemorySegment.ofArray(empty);
        assertEquals(false, new HeadAdapter(r.as(HeadAdapter.Handler.class)).onMessage(new Loopback(), Msg.SUBMIT_TASK, 0, none));
        assertEquals(false, new NodeAdapter(r.as(NodeAdapter.Handler.class)).onMessage(new Loopback(), Msg.REGISTER, 0, none));
        assertEquals(false, new OwnerAdapter(r.as(OwnerAdapter.Handler.class)).onMessage(new Loopback(), Msg.KILL_ACTOR, 0, none));
        assertEquals(false, new LogAdapter(r.as(LogAdapter.Handler.class)).onMessage(new Loopback(), Msg.STATUS, 0, none));
        assertEquals(List.of(), r.calls);
    }

    // ------------------------------------------------------------------ helpers

    /** Runs a handler's reply; handlers that reply return nothing. */
    private static Object reply(Runnable replyNow)
    {
        replyNow.run();
        return null;
    }

    private static byte[] encodedValue(Object v)
    {
        final Wire.Out out = new Wire.Out();
        Wire.writeValue(out, v);
        return out.toBytes();
    }

    private static void assertSpec(CallSpec expected, CallSpec actual)
    {
        assertEquals(List.of(expected.cpus, expected.gpus, expected.memoryBytes, expected.custom, expected.maxRetries,
                expected.retryExceptions, expected.name, expected.maxRestarts, expected.namespace, expected.detached),
            new ArrayList<>(java.util.Arrays.asList(actual.cpus, actual.gpus, actual.memoryBytes, actual.custom, actual.maxRetries,
                actual.retryExceptions, actual.name, actual.maxRestarts, actual.namespace, actual.detached)));
    }
}
