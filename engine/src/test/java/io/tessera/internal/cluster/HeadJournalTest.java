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
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The head journal: replay rebuilds the tables; damage (a cut, a changed byte) is detected and the readable prefix kept. */
@Timeout(60)
class HeadJournalTest
{
    @Test
    void shouldDetectAJournalCutBetweenEntriesAndReadLaterChangesBack() throws Exception
    {
        final Path dir = Files.createTempDirectory("tessera-journal");
        try
        {
            try (HeadJournal j = new HeadJournal(dir))
            {
                assertNull(j.replay(c -> { }).damage());
                for (int i = 0; i < 30; i++)
                {
                    j.append(new HeadState.JobStarted("job-" + i, "driver"));
                }
            }
            final Path file = cq4(dir);
            final List<Long> positions = positions(dir);
            assertEquals(30, positions.size());
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
            {
                raf.setLength(positions.get(17) - 4);  // at entry 17's header: entries 0..16 read cleanly
            }

            final List<HeadState.Change> read = new ArrayList<>();
            try (HeadJournal j = new HeadJournal(dir))
            {
                final HeadJournal.Replay r = j.replay(read::add);
                assertNotNull(r.damage(), "a journal cut short was read as complete");
                assertTrue(r.damage().contains(file.getFileName().toString()), r.damage());
                assertEquals(17, r.entries());
                assertTrue(Files.exists(r.movedTo().resolve(file.getFileName())), "damaged file moved aside");
                j.append(new HeadState.JobStarted("after-the-damage", "driver"));
            }
            assertEquals(17, read.size());

            final List<HeadState.Change> again = new ArrayList<>();
            try (HeadJournal j = new HeadJournal(dir))
            {
                assertNull(j.replay(again::add).damage());
            }
            assertEquals(18, again.size(), "later changes are read back: " + again);
            assertEquals(new HeadState.JobStarted("after-the-damage", "driver"), again.get(17));
        }
        finally
        {
            delete(dir);
        }
    }

    @Test
    void shouldRebuildTheHeadTablesByReplayingTheJournal() throws Exception
    {
        final Path dir = Files.createTempDirectory("tessera-journal");
        final HeadState.ActorInfo named = new HeadState.ActorInfo("counter", "a-1", "n1", "10.0.0.1:7001", "com.example.Counter", "ns");
        final HeadState.ActorInfo sameNameElsewhere = new HeadState.ActorInfo("counter", "a-4", "n1", "10.0.0.1:7001", "Y", "other");
        final HeadState.ActorInfo onN2 = new HeadState.ActorInfo("", "a-2", "n2", "10.0.0.2:7001", "", "");
        final HeadState.ActorInfo gone = new HeadState.ActorInfo("", "a-3", "n1", "10.0.0.1:7001", "", "");
        final List<HeadState.Change> changes = List.of(
            new HeadState.NodeUp("n1", "10.0.0.1:7001", "10.0.0.1", "/dev/shm/n1", Map.of("CPU", 4.0, "zone-a", 0.5)),
            new HeadState.NodeUp("n2", "10.0.0.2:7001", "10.0.0.2", "/dev/shm/n2", Map.of("CPU", 2.0)),
            new HeadState.ActorNamed(named), new HeadState.ActorUp(named), new HeadState.ActorUp(onN2), new HeadState.ActorUp(gone),
            new HeadState.ActorDown("a-3"),
            new HeadState.ActorNamed(new HeadState.ActorInfo("old", "a-0", "n1", "10.0.0.1:7001", "X", "ns")),
                new HeadState.ActorGone("ns", "old", "a-0"),
            new HeadState.ActorNamed(sameNameElsewhere), new HeadState.ActorGone("ns", "counter", "a-4"),
            new HeadState.ActorNamed(new HeadState.ActorInfo("old", "a-5", "n1", "10.0.0.1:7001", "X", "other")),
                new HeadState.ActorGone("other", "old", "a-5"),
            new HeadState.ObjectAt("o-1", "n1"), new HeadState.ObjectAt("o-2", "n2"), new HeadState.ObjectAt("o-3", "n1"),
            new HeadState.ObjectGone("o-3"),
            new HeadState.JobStarted("job-1", "10.0.0.9:40001"), new HeadState.JobStarted("job-2", "10.0.0.9:40002"),
            new HeadState.JobEnded("job-2"),
            new HeadState.NodeDown("n2"));
        try
        {
            try (HeadJournal j = new HeadJournal(dir))
            {
                assertEquals(0, j.replay(c -> { }).entries());
                changes.forEach(j::append);
            }
            final HeadState replayed = new HeadState();
            try (HeadJournal j = new HeadJournal(dir))
            {
                final HeadJournal.Replay r = j.replay(c -> c.apply(replayed));
                assertNull(r.damage());
                assertEquals(changes.size(), r.entries());
            }
            assertEquals(List.of("n1", "n2"), replayed.nodes.keySet().stream().sorted().toList());
            final HeadState.NodeInfo n1 = replayed.nodes.get("n1");
            assertEquals(List.of("10.0.0.1:7001", "10.0.0.1", "/dev/shm/n1", Map.of("CPU", 4.0, "zone-a", 0.5), true),
                List.of(n1.address, n1.host, n1.storePath, n1.total, n1.alive));
            assertEquals(false, replayed.nodes.get("n2").alive, "NODE_DOWN replayed");
            assertEquals(Map.of(named.key(), named, sameNameElsewhere.key(), sameNameElsewhere), replayed.namedActors,
                "a name given back stays gone; one name in two namespaces is two actors, each given back on its own");
            assertEquals(Map.of("a-1", named), replayed.actors, "actors of a dead node and killed ones are gone");
            assertEquals(Map.of("o-1", List.of("n1"), "o-2", List.of()), replayed.objectLocations);
            assertEquals(Map.of("job-1", "10.0.0.9:40001"), replayed.jobs);

            final HeadState live = new HeadState();
            changes.forEach(c -> c.apply(live));
            assertEquals(live.namedActors, replayed.namedActors);
            assertEquals(live.actors, replayed.actors);
            assertEquals(live.objectLocations, replayed.objectLocations);
            assertEquals(live.jobs, replayed.jobs);
        }
        finally
        {
            delete(dir);
        }
    }

    @Test
    void shouldKeepTheEntriesBeforeAnEntryWhoseChecksumDoesNotMatch() throws Exception
    {
        final Path dir = Files.createTempDirectory("tessera-journal");
        try
        {
            try (HeadJournal j = new HeadJournal(dir))
            {
                j.replay(c -> { });
                for (int i = 0; i < 10; i++)
                {
                    j.append(new HeadState.JobStarted("job-" + i, "driver"));
                }
            }
            final Path file = cq4(dir);
            final long last = positions(dir).get(9);
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
            {
                // | FRAMED | crc32c (4) | type | jobId...: flip a byte of the job id of the last entry
                raf.seek(last + 1 + 4 + 1 + 3);
                final int b = raf.read();
                raf.seek(last + 1 + 4 + 1 + 3);
                raf.write(b ^ 0x20);
            }
            final List<HeadState.Change> read = new ArrayList<>();
            try (HeadJournal j = new HeadJournal(dir))
            {
                final HeadJournal.Replay r = j.replay(read::add);
                assertNotNull(r.damage(), "a changed byte went unnoticed");
                assertTrue(r.damage().contains("checksum"), r.damage());
                assertEquals(9, r.entries());
            }
            assertEquals(new HeadState.JobStarted("job-8", "driver"), read.getLast());
            final List<HeadState.Change> again = new ArrayList<>();
            try (HeadJournal j = new HeadJournal(dir))
            {
                assertNull(j.replay(again::add).damage(), "the recovered entries were written to a clean journal");
            }
            assertEquals(read, again);
        }
        finally
        {
            delete(dir);
        }
    }

    /** Where each excerpt's bytes start in the journal's file. */
    private static List<Long> positions(Path dir)
    {
        final List<Long> positions = new ArrayList<>();
        try (ChronicleQueue q = ChronicleQueue.singleBuilder(dir).rollCycle(RollCycles.FAST_DAILY).readOnly(true).build();
             ExcerptTailer t = q.createTailer())
        {
            while (true)
            {
                try (DocumentContext dc = t.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        return positions;
                    }
                    positions.add(dc.wire().bytes().readPosition());
                }
            }
        }
    }

    private static void delete(Path dir) throws Exception
    {
        try (Stream<Path> all = Files.walk(dir))
        {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(p);
            }
        }
    }

    private static Path cq4(Path dir) throws Exception
    {
        try (Stream<Path> s = Files.list(dir))
        {
            return s.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
    }
}
