package io.tessera.internal.cluster;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;

import io.tessera.TesseraException;

import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The head's journal: every mutation of its tables is one excerpt of a Chronicle Queue, appended
 * before the mutation is acknowledged, so a restarted head rebuilds its tables by replaying it.
 * <pre>
 * excerpt: | type:byte | body (HeadState.Change fields, Chronicle Bytes encoding) |
 * </pre>
 */
final class HeadJournal implements AutoCloseable {
    private final ChronicleQueue queue;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        final Thread t = new Thread(r, "tessera-head-journal");
        t.setDaemon(true);
        return t;
    });
    private ExcerptAppender appender;

    HeadJournal(Path dir) {
        queue = ChronicleQueue.singleBuilder(dir).rollCycle(RollCycles.FAST_DAILY).build();
    }

    /**
     * Appends one change and returns once it is written. Chronicle appenders belong to one thread,
     * so every append runs on the journal's own thread.
     */
    void append(HeadState.Change change) {
        try {
            writer.submit(() -> {
                if (appender == null) {
                    appender = queue.createAppender();
                }
                appender.writeBytes(b -> change.write(b));
            }).get();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new TesseraException("interrupted while journaling " + change, ex);
        } catch (ExecutionException ex) {
            throw new TesseraException("cannot journal " + change + ": " + ex.getCause(), ex.getCause());
        }
    }

    /** Replays every change from the start. */
    void replay(Consumer<HeadState.Change> sink) {
        try (ExcerptTailer tailer = queue.createTailer()) {
            tailer.toStart();
            final HeadState.Change[] read = new HeadState.Change[1];
            while (tailer.readBytes(b -> read[0] = HeadState.Change.read(b))) {
                sink.accept(read[0]);
            }
        }
    }

    @Override
    public void close() {
        try {
            writer.submit(() -> {
                if (appender != null) {
                    appender.close();
                }
            }).get();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException ignoredCloseFailure) {
            // the queue is closed next either way
        }
        writer.shutdown();
        queue.close();
    }
}
