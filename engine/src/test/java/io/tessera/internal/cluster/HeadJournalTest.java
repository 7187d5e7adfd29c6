package io.tessera.internal.cluster;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A journal cut exactly between two entries reads like a shorter journal: the damage must still show. */
@Timeout(60)
class HeadJournalTest {
    @Test
    void shouldDetectAJournalCutBetweenEntriesAndReadLaterChangesBack() throws Exception {
        final Path dir = Files.createTempDirectory("tessera-journal");
        try {
            try (HeadJournal j = new HeadJournal(dir)) {
                assertNull(j.replay(c -> { }).damage());
                for (int i = 0; i < 30; i++) {
                    j.append(new HeadState.JobStarted("job-" + i, "driver"));
                }
            }
            final Path file = cq4(dir);
            final List<Long> positions = new ArrayList<>();
            try (ChronicleQueue q = ChronicleQueue.singleBuilder(dir).rollCycle(RollCycles.FAST_DAILY).readOnly(true).build();
                 ExcerptTailer t = q.createTailer()) {
                while (true) {
                    try (DocumentContext dc = t.readingDocument()) {
                        if (!dc.isPresent()) {
                            break;
                        }
                        positions.add(dc.wire().bytes().readPosition());
                    }
                }
            }
            assertEquals(30, positions.size());
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(positions.get(17) - 4);  // at entry 17's header: entries 0..16 read cleanly
            }

            final List<HeadState.Change> read = new ArrayList<>();
            try (HeadJournal j = new HeadJournal(dir)) {
                final HeadJournal.Replay r = j.replay(read::add);
                assertNotNull(r.damage(), "a journal cut short was read as complete");
                assertTrue(r.damage().contains(file.getFileName().toString()), r.damage());
                assertEquals(17, r.entries());
                assertTrue(Files.exists(r.movedTo().resolve(file.getFileName())), "damaged file moved aside");
                j.append(new HeadState.JobStarted("after-the-damage", "driver"));
            }
            assertEquals(17, read.size());

            final List<HeadState.Change> again = new ArrayList<>();
            try (HeadJournal j = new HeadJournal(dir)) {
                assertNull(j.replay(again::add).damage());
            }
            assertEquals(18, again.size(), "later changes are read back: " + again);
            assertEquals(new HeadState.JobStarted("after-the-damage", "driver"), again.get(17));
        } finally {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static Path cq4(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
    }
}
