package io.tessera.internal.cluster;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;
import net.openhft.chronicle.wire.DocumentContext;

import io.tessera.TesseraException;
import io.tessera.memory.OwnerOnly;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The head's journal: every mutation of its tables is one excerpt of a Chronicle Queue, appended
 * before the mutation is acknowledged, so a restarted head rebuilds its tables by replaying it.
 * <pre>
 * excerpt: | FRAMED:byte | crc32c:int of the change | type:byte | body (HeadState.Change fields, Chronicle Bytes encoding) |
 * (journals written before the checksum: | type:byte | body |, read as they are)
 * </pre>
 * A damaged journal (a file truncated, overwritten or unreadable, a checksum that does not match, a
 * change this build cannot parse, excerpts the file says were written but that cannot be read) is
 * detected at {@link #replay}: what could be read before the damage is kept, the journal's files are
 * moved to {@code damaged-<time>/} beside it, and the head continues on a new journal that starts
 * with the recovered changes. The log says which file, why, and how much was recovered.
 */
final class HeadJournal implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(HeadJournal.class);
    /** First byte of an excerpt with a checksum; legacy excerpts start with a change type (1..9). */
    static final byte FRAMED = 0x7E;

    /** What {@link #replay} found: changes applied, and the damage (null when none) with where the files went. */
    record Replay(int entries, String damage, Path movedTo)
    {
    }

    private final Path dir;
    private ChronicleQueue queue;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r ->
    {
        final Thread t = new Thread(r, "tessera-head-journal");
        t.setDaemon(true);
        return t;
    });
    private ExcerptAppender appender;

    HeadJournal(Path dir)
    {
        this.dir = dir;
    }

    private static ChronicleQueue open(Path dir)
    {
        return ChronicleQueue.singleBuilder(dir).rollCycle(RollCycles.FAST_DAILY).build();
    }

    /**
     * Appends one change and returns once it is written. Chronicle appenders belong to one thread,
     * so every append runs on the journal's own thread.
     */
    void append(HeadState.Change change)
    {
        try
        {
            writer.submit(() ->
            {
                if (appender == null)
                {
                    appender = queue().createAppender();
                }
                final byte[] body = encode(change);
                final CRC32C crc = new CRC32C();
                crc.update(body);
                appender.writeBytes(b -> b.writeByte(FRAMED).writeInt((int) crc.getValue()).write(body));
            }).get();
        }
        catch (InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new TesseraException("interrupted while journaling " + change, ex);
        }
        catch (ExecutionException ex)
        {
            throw new TesseraException("cannot journal " + change + ": " + ex.getCause(), ex.getCause());
        }
    }

    private synchronized ChronicleQueue queue()
    {
        if (queue == null)
        {
            queue = open(dir);
        }
        return queue;
    }

    private static byte[] encode(HeadState.Change change)
    {
        final Bytes<?> b = Bytes.allocateElasticOnHeap(64);
        try
        {
            change.write(b);
            return b.toByteArray();
        }
        finally
        {
            b.releaseLast();
        }
    }

    /**
     * Replays every readable change from the start. On damage, keeps the readable prefix (already
     * given to {@code sink}), moves the damaged files aside and starts a new journal holding that
     * prefix, so later changes are read back by the next restart.
     */
    Replay replay(Consumer<HeadState.Change> sink)
    {
        final List<HeadState.Change> read = new ArrayList<>();
        String damage = null;
        try
        {
            damage = readAll(queue(), read);
        }
        catch (Throwable ex)
        {
            // Chronicle throws (or asserts) on a file it cannot map or parse: that is damage too
            damage = "the journal cannot be opened or read after " + read.size() + " entries: " + ex;
        }
        read.forEach(sink);
        if (damage == null)
        {
            return new Replay(read.size(), null, null);
        }
        final Path aside = moveAside();
        for (HeadState.Change c : read)
        {
            append(c);
        }
        LOG.warn("head journal in {} is damaged: {}; recovered {} entries "
            + "(the changes after them are lost), moved the damaged files to {}, continuing in a new journal",
            dir, damage, read.size(), aside);
        return new Replay(read.size(), damage, aside);
    }

    /** Reads every excerpt into {@code out}; returns what is wrong with the journal, or null. */
    private static String readAll(ChronicleQueue q, List<HeadState.Change> out)
    {
        final SingleChronicleQueue sq = (SingleChronicleQueue) q;
        int lastCycle = Integer.MIN_VALUE;
        long lastHeader = -1;
        try (ExcerptTailer tailer = q.createTailer())
        {
            tailer.toStart();
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    final Bytes<?> b = dc.wire().bytes();
                    final long position = b.readPosition();
                    final String where = fileOf(sq, tailer.cycle()) + " at byte " + position + " (entry " + out.size() + ")";
                    final HeadState.Change c;
                    try
                    {
                        c = decode(b);
                    }
                    catch (RuntimeException ex)
                    {
                        return "unreadable entry in " + where + ": " + ex.getMessage();
                    }
                    if (c == null)
                    {
                        return "checksum mismatch in " + where;
                    }
                    out.add(c);
                    lastCycle = tailer.cycle();
                    lastHeader = position - 4;
                }
            }
        }
        // A file cut short, or with a header overwritten, reads like a shorter journal: compare with
        // how far the file says it was written.
        final int cycle = sq.lastCycle();
        if (cycle == Integer.MIN_VALUE || cycle < 0)
        {
            return null;
        }
        final SingleChronicleQueueStore store = sq.storeForCycle(cycle, sq.epoch(), false, null);
        if (store == null)
        {
            return null;
        }
        try
        {
            final long written = store.writePosition();
            if (lastCycle < cycle && !out.isEmpty() || lastCycle == cycle && written > lastHeader)
            {
                return store.file() + " was written up to byte " + written + " but reads only up to "
                    + (lastCycle == cycle ? "byte " + lastHeader : "an earlier file")
                    + " (cut short or overwritten)";
            }
            return null;
        }
        finally
        {
            sq.closeStore(store);
        }
    }

    private static String fileOf(SingleChronicleQueue sq, int cycle)
    {
        final SingleChronicleQueueStore store = sq.storeForCycle(cycle, sq.epoch(), false, null);
        if (store == null)
        {
            return "cycle " + cycle;
        }
        try
        {
            return store.file().toString();
        }
        finally
        {
            sq.closeStore(store);
        }
    }

    /** One change, or null when its checksum does not match. */
    private static HeadState.Change decode(Bytes<?> b)
    {
        final byte first = b.readByte(b.readPosition());
        if (first != FRAMED)
        {
            return HeadState.Change.read(b);
        }
        b.readSkip(1);
        final int expected = b.readInt();
        final byte[] body = new byte[(int) b.readRemaining()];
        b.read(body);
        final CRC32C crc = new CRC32C();
        crc.update(body);
        if ((int) crc.getValue() != expected)
        {
            return null;
        }
        final Bytes<byte[]> in = Bytes.wrapForRead(body);
        try
        {
            final HeadState.Change c = HeadState.Change.read(in);
            if (in.readRemaining() != 0)
            {
                throw new IllegalStateException(in.readRemaining() + " bytes left after " + c);
            }
            return c;
        }
        finally
        {
            in.releaseLast();
        }
    }

    /** Closes the queue and moves its files to {@code damaged-<time>/}; the next append opens a new one. */
    private Path moveAside()
    {
        try
        {
            writer.submit(() ->
            {
                if (appender != null)
                {
                    appender.close();
                    appender = null;
                }
            }).get();
        }
        catch (InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (ExecutionException ignoredCloseFailure)
        {
            // the queue is closed next either way
        }
        synchronized (this)
        {
            if (queue != null)
            {
                try
                {
                    queue.close();
                }
                catch (Throwable ignoredCloseOfADamagedQueue)
                {
                    // the files move aside anyway
                }
                queue = null;
            }
        }
        final Path aside = dir.resolve("damaged-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")));
        try
        {
            OwnerOnly.freshDirectory(aside);
            try (Stream<Path> files = Files.list(dir))
            {
                for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".cq4")
                    || p.getFileName().toString().endsWith(".cq4t")).toList())
                {
                    Files.move(f, aside.resolve(f.getFileName()));
                }
            }
        }
        catch (IOException ex)
        {
            throw new TesseraException("the head journal in " + dir + " is damaged and cannot be moved aside to "
                + aside + ": " + ex.getMessage() + "; move its .cq4 files away by hand", ex);
        }
        return aside;
    }

    @Override
    public void close()
    {
        try
        {
            writer.submit(() ->
            {
                if (appender != null)
                {
                    appender.close();
                }
            }).get();
        }
        catch (InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (ExecutionException ignoredCloseFailure)
        {
            // the queue is closed next either way
        }
        writer.shutdown();
        synchronized (this)
        {
            if (queue != null)
            {
                queue.close();
            }
        }
    }
}
