package io.tessera.transport;

import io.tessera.memory.ObjectId;
import io.tessera.memory.ObjectStore;
import io.tessera.memory.StoreFullException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.tessera.transport.TransportTestSupport.context;
import static io.tessera.transport.TransportTestSupport.crcOf;
import static io.tessera.transport.TransportTestSupport.newStore;
import static io.tessera.transport.TransportTestSupport.putPattern;
import static io.tessera.testing.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Object pulls between two or three endpoints in this JVM, each with its own store in /dev/shm.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ObjectTransferTest
{
    private static final long MIB = 1L << 20;

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void tearDown()
    {
        for (int i = resources.size() - 1; i >= 0; i--)
        {
            TransportTestSupport.closeAll(resources.get(i));
        }
        TransportTestSupport.assertNoTransportThreads();
    }

    private <T extends AutoCloseable> T keep(final T resource)
    {
        resources.add(resource);
        return resource;
    }

    private TransportServer holder(final TransportKind kind, final String nodeId, final ObjectStore store)
    {
        return keep(TransportServer.bind(context(kind, nodeId).store(store).chunkBytes(64 << 10), null));
    }

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"IO_URING", "EPOLL", "NIO"})
    void shouldPullObjectsOfManySizesIntact(final TransportKind kind) throws Exception
    {
        assumeTrue(kind.isAvailable(), () -> kind + " unavailable: " + kind.unavailabilityCause());
        final ObjectStore remote = keep(newStore(96 * MIB));
        final ObjectStore local = keep(newStore(96 * MIB));
        final TransportServer holder = holder(kind, "holder", remote);
        final TransportServer puller = keep(TransportServer.bind(context(kind, "puller").store(local).windowBytes(256 << 10), null));
        final Connection toHolder = puller.connect("127.0.0.1", holder.port());

        final long[] sizes = {0, 1, 4095, 65_536, MIB + 3, 24 * MIB + 17};
        for (int i = 0; i < sizes.length; i++)
        {
            final ObjectId id = ObjectId.random();
            final long crc = putPattern(remote, id, sizes[i], 40 + i, i);
            final PulledObject pulled = ObjectTransfer.pull(local, id, toHolder).get(30, TimeUnit.SECONDS);
            assertEquals(sizes[i], pulled.sizeBytes());
            assertEquals(40 + i, pulled.kind());
            assertEquals(crc, crcOf(local, id), "checksum of " + sizes[i] + "-byte object");
        }
        final ObjectId again = ObjectId.random();
        putPattern(remote, again, 1000, 7, 7);
        ObjectTransfer.pull(local, again, toHolder).get(10, TimeUnit.SECONDS);
        assertEquals(0, ObjectTransfer.pull(local, again, toHolder).get(10, TimeUnit.SECONDS).holders(),
            "an object already present is not pulled again");
        until("holder served every non-empty object", Duration.ofMillis(5_000), () -> holder.counters().objectsServed() == sizes.length);
        until("holder released every pin", Duration.ofMillis(5_000), () -> remote.stats().pinned() == 0);
        assertEquals(sizes.length + 1, puller.counters().objectsPulled());
        assertEquals(0, local.stats().pinned());
    }

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"AUTO", "EPOLL"})
    void shouldPullA256MiBObjectWithMatchingChecksum(final TransportKind kind) throws Exception
    {
        assumeTrue(kind.isAvailable(), () -> kind + " unavailable: " + kind.unavailabilityCause());
        final ObjectStore remote = keep(newStore(288 * MIB));
        final ObjectStore local = keep(newStore(288 * MIB));
        final TransportServer holder = keep(TransportServer.bind(context(kind, "holder").store(remote), null));
        final Connection toHolder = keep(TransportClient.connect(context(kind, "driver"), "127.0.0.1", holder.port()));
        final ObjectId id = ObjectId.random();
        final long crc = putPattern(remote, id, 256 * MIB, 3, 256);
        final PulledObject pulled = ObjectTransfer.pull(local, id, toHolder).get(60, TimeUnit.SECONDS);
        assertEquals(256 * MIB, pulled.sizeBytes());
        assertEquals(crc, crcOf(local, id));
        assertEquals(1, holder.counters().objectsServed());
        if (kind.resolve() != TransportKind.IO_URING)
        {
            assertTrue(TransportClient.counters(toHolder).directReadBytes() > 128 * MIB,
                "most bytes were read straight into the store: " + TransportClient.counters(toHolder));
        }
    }

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"IO_URING", "EPOLL", "NIO"})
    void shouldSplitALargeObjectAcrossSeveralHolders(final TransportKind kind) throws Exception
    {
        assumeTrue(kind.isAvailable(), () -> kind + " unavailable: " + kind.unavailabilityCause());
        final ObjectStore storeA = keep(newStore(80 * MIB));
        final ObjectStore storeB = keep(newStore(80 * MIB));
        final ObjectStore local = keep(newStore(80 * MIB));
        final ObjectId id = ObjectId.random();
        final long crc = putPattern(storeA, id, 48 * MIB + 5, 9, 11);
        assertEquals(crc, putPattern(storeB, id, 48 * MIB + 5, 9, 11));
        final TransportServer a = holder(kind, "holder-a", storeA);
        final TransportServer b = holder(kind, "holder-b", storeB);
        final TransportServer puller = keep(TransportServer.bind(context(kind, "puller").store(local).splitMinBytes(8 * MIB), null));
        final List<Connection> holders = List.of(puller.connect("127.0.0.1", a.port()), puller.connect("127.0.0.1", b.port()));

        final PulledObject pulled = ObjectTransfer.pull(local, id, holders).get(30, TimeUnit.SECONDS);
        assertEquals(2, pulled.holders());
        assertEquals(crc, crcOf(local, id));
        assertEquals(1, a.counters().objectsServed());
        assertEquals(1, b.counters().objectsServed());
        assertTrue(a.counters().bytesOut() > 20 * MIB && b.counters().bytesOut() > 20 * MIB,
            "both holders sent about half: " + a.counters() + " / " + b.counters());
    }

    @Test
    void shouldFailWithTheIdWhenNoHolderHasTheObject() throws Exception
    {
        final ObjectStore remote = keep(newStore(8 * MIB));
        final ObjectStore local = keep(newStore(8 * MIB));
        final TransportServer holder = holder(TransportKind.AUTO, "holder", remote);
        final Connection toHolder = keep(TransportClient.connect(context(TransportKind.AUTO, "driver"), "127.0.0.1", holder.port()));
        final ObjectId missing = ObjectId.random();
        final ExecutionException e = assertThrows(ExecutionException.class,
            () -> ObjectTransfer.pull(local, missing, toHolder).get(10, TimeUnit.SECONDS));
        final ObjectTransferException failure = assertInstanceOf(ObjectTransferException.class, e.getCause());
        assertEquals(ObjectTransferException.Reason.UNKNOWN_OBJECT, failure.reason());
        assertTrue(failure.getMessage().contains(missing.toString()), failure.getMessage());
        assertTrue(failure.getMessage().contains("holder"), failure.getMessage());
        assertFalse(local.contains(missing));
        assertTrue(toHolder.isOpen(), "a failed pull leaves the connection usable");
    }

    @Test
    void shouldAbortAndReportWhenTheReceivingStoreIsFull() throws Exception
    {
        final ObjectStore remote = keep(newStore(64 * MIB));
        final ObjectStore local = keep(newStore(8 * MIB));
        final TransportServer holder = holder(TransportKind.AUTO, "holder", remote);
        final Connection toHolder = keep(TransportClient.connect(context(TransportKind.AUTO, "driver"), "127.0.0.1", holder.port()));

        final ObjectId tooLarge = ObjectId.random();
        putPattern(remote, tooLarge, 32 * MIB, 1, 1);
        final ExecutionException e1 = assertThrows(ExecutionException.class,
            () -> ObjectTransfer.pull(local, tooLarge, toHolder).get(10, TimeUnit.SECONDS));
        assertEquals(ObjectTransferException.Reason.STORE_FULL, ((ObjectTransferException)e1.getCause()).reason());
        assertTrue(e1.getCause().getMessage().contains(tooLarge.toString()), e1.getCause().getMessage());

        final List<ObjectId> pinned = new ArrayList<>();
        try
        {
            while (true)
            {
                final ObjectId filler = ObjectId.random();
                putPattern(local, filler, MIB, 0, 0);
                local.get(filler, 0);
                pinned.add(filler);
            }
        }
        catch (final StoreFullException expected)
        {
            assertFalse(pinned.isEmpty());
        }
        final ObjectId fits = ObjectId.random();
        putPattern(remote, fits, 2 * MIB, 1, 2);
        final ExecutionException e2 = assertThrows(ExecutionException.class,
            () -> ObjectTransfer.pull(local, fits, toHolder).get(10, TimeUnit.SECONDS));
        assertEquals(ObjectTransferException.Reason.STORE_FULL, ((ObjectTransferException)e2.getCause()).reason());
        assertFalse(local.contains(fits));
        for (final ObjectId id : pinned)
        {
            local.release(id);
        }
    }

    @Test
    void shouldFailAndAbortWhenTheHolderDiesMidTransfer() throws Exception
    {
        final ObjectStore remote = keep(newStore(80 * MIB));
        final ObjectStore local = keep(newStore(80 * MIB));
        final TransportServer holder = keep(TransportServer.bind(context(TransportKind.AUTO, "doomed").store(remote).chunkBytes(4096), null));
        final TransportServer puller = keep(TransportServer.bind(context(TransportKind.AUTO, "puller").store(local).windowBytes(8192), null));
        final ChannelConnection toHolder = (ChannelConnection)puller.connect("127.0.0.1", holder.port());
        final ObjectId id = ObjectId.random();
        putPattern(remote, id, 64 * MIB, 1, 5);

        final CompletableFuture<PulledObject> pull = ObjectTransfer.pull(local, id, toHolder);
        until("some bytes arrived", Duration.ofMillis(10_000), () -> puller.counters().bytesIn() > 256 << 10);
        final CountDownLatch resume = new CountDownLatch(1);
        toHolder.channel.eventLoop().execute(() ->
        {
            try
            {
                resume.await();
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        });
        assertFalse(pull.isDone(), "the transfer is stalled mid-way by the blocked receiver");
        holder.close();
        resume.countDown();

        final ExecutionException e = assertThrows(ExecutionException.class, () -> pull.get(10, TimeUnit.SECONDS));
        final ObjectTransferException failure = assertInstanceOf(ObjectTransferException.class, e.getCause());
        assertEquals(ObjectTransferException.Reason.PEER_CLOSED, failure.reason());
        assertTrue(failure.getMessage().contains(id.toString()) && failure.getMessage().contains("doomed"), failure.getMessage());
        assertFalse(local.contains(id), "the half-written object is never visible");
        local.create(id, 16, 0);
        local.abort(id);
        assertEquals(0, local.stats().objects(), "the aborted pull left nothing behind");
    }

    @Test
    void shouldAbortAndReleaseTheHolderWhenThePullIsCancelled() throws Exception
    {
        final ObjectStore remote = keep(newStore(80 * MIB));
        final ObjectStore local = keep(newStore(80 * MIB));
        final TransportServer holder = keep(TransportServer.bind(context(TransportKind.AUTO, "holder").store(remote).chunkBytes(4096), null));
        final TransportServer puller = keep(TransportServer.bind(context(TransportKind.AUTO, "puller").store(local).windowBytes(4096), null));
        final Connection toHolder = puller.connect("127.0.0.1", holder.port());
        final ObjectId id = ObjectId.random();
        putPattern(remote, id, 64 * MIB, 1, 8);

        final CompletableFuture<PulledObject> pull = ObjectTransfer.pull(local, id, toHolder);
        until("some bytes arrived", Duration.ofMillis(10_000), () -> puller.counters().bytesIn() > 256 << 10);
        assertTrue(pull.cancel(true), "the pull was still running");
        until("the half-written object is aborted", Duration.ofMillis(5_000), () -> local.stats().objects() == 0);
        assertFalse(local.contains(id));
        until("the holder dropped its pin", Duration.ofMillis(5_000), () -> remote.stats().pinned() == 0);
        assertTrue(toHolder.isOpen(), "cancelling a pull keeps the connection");
        final long crc = TransportTestSupport.crcOf(remote, id);
        final TransportServer fast = keep(TransportServer.bind(context(TransportKind.AUTO, "puller-2").store(local), null));
        assertEquals(crc, crcOf(local, ObjectTransfer.pull(local, id, fast.connect("127.0.0.1", holder.port()))
            .get(30, TimeUnit.SECONDS).id()), "the same object can be pulled again afterwards");
    }

    @Test
    void shouldStallTheHolderWhenTheReceiverStopsConsuming() throws Exception
    {
        final long window = 64 << 10;
        final ObjectStore remote = keep(newStore(80 * MIB));
        final ObjectStore local = keep(newStore(80 * MIB));
        final TransportServer holder = keep(TransportServer.bind(context(TransportKind.AUTO, "holder").store(remote).chunkBytes(16 << 10), null));
        final TransportServer puller = keep(TransportServer.bind(context(TransportKind.AUTO, "puller").store(local).windowBytes(window), null));
        final ChannelConnection toHolder = (ChannelConnection)puller.connect("127.0.0.1", holder.port());
        final ObjectId id = ObjectId.random();
        final long crc = putPattern(remote, id, 64 * MIB, 1, 6);

        final CompletableFuture<PulledObject> pull = ObjectTransfer.pull(local, id, toHolder);
        until("some bytes arrived", Duration.ofMillis(10_000), () -> puller.counters().bytesIn() > 256 << 10);
        final CountDownLatch resume = new CountDownLatch(1);
        final CompletableFuture<Long> consumed = new CompletableFuture<>();
        toHolder.channel.eventLoop().execute(() ->
        {
            final ReceiveStream stream = toHolder.receiveStreams.values().stream().findFirst().orElse(null);
            consumed.complete(stream == null ? -1 : stream.next);
            try
            {
                resume.await();
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        });
        final long consumedBytes = consumed.get(5, TimeUnit.SECONDS);
        assertTrue(consumedBytes > 0, "the pull was still in progress when the receiver stopped");
        final ChannelConnection holderSide = (ChannelConnection)holder.connections().iterator().next();
        until("the holder stops for lack of credit", Duration.ofMillis(10_000), () -> onLoop(holderSide, () ->
            holderSide.sendStreams.values().stream().allMatch(s -> s.credit == 0)));
        final long sent = onLoop(holderSide, () -> holderSide.sendStreams.values().iterator().next().next);
        assertTrue(sent - consumedBytes <= window,
            "holder sent " + sent + " bytes while the receiver had consumed " + consumedBytes + " (window " + window + ")");
        assertFalse(pull.isDone());
        resume.countDown();
        pull.get(30, TimeUnit.SECONDS);
        assertEquals(crc, crcOf(local, id));
        until("holder released its pin", Duration.ofMillis(5_000), () -> remote.stats().pinned() == 0);
    }

    private static <T> T onLoop(final ChannelConnection connection, final java.util.concurrent.Callable<T> task)
    {
        try
        {
            return connection.channel.eventLoop().submit(task).get(5, TimeUnit.SECONDS);
        }
        catch (final Exception e)
        {
            throw new AssertionError(e);
        }
    }
}
