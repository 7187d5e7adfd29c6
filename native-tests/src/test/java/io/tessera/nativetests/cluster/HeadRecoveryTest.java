package io.tessera.nativetests.cluster;

import java.time.Duration;
import io.tessera.testing.Await;
import io.tessera.internal.cluster.ClusterClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The head killed -9 and restarted; its journal cut short or overwritten while it was down. */
@Timeout(300)
class HeadRecoveryTest
{
    private ClusterFixture cluster;

    @AfterEach
    void tearDown() throws Exception
    {
        if (cluster != null)
        {
            cluster.close();
        }
    }

    @Test
    void shouldNotReportANodeKilledWhileTheHeadWasDownAsAlive() throws Exception
    {
        cluster = new ClusterFixture("head-kill");
        final int port = ClusterFaultTest.freePort();
        cluster.startHead(port, "--cpus", "1");
        cluster.startWorker("a", "--cpus", "1");
        final Process b = cluster.startWorker("b", "--cpus", "1");
        final String bAddress = addressOf(b);
        awaitStatus(s -> s.contains("nodes: 3 alive"));

        cluster.head.destroyForcibly().waitFor();
        b.destroyForcibly().waitFor();
        cluster.startHead(port, "--cpus", "1");
        final String first = status();
        assertFalse(lineOf(first, bAddress).startsWith("alive"), "a node killed while the head was down shows alive: " + first);

        final String settled = awaitStatus(s -> s.contains("nodes: 2 alive") && !s.contains("unconfirmed"));
        assertTrue(lineOf(settled, bAddress).startsWith("dead"), settled);
        assertTrue(settled.contains("2 alive, 2 dead"), "the killed head's own node and b are dead: " + settled);
    }

    @Test
    void shouldRecoverTheReadablePartOfATruncatedJournalAndKeepLaterChanges() throws Exception
    {
        cluster = new ClusterFixture("journal-truncated");
        final int port = ClusterFaultTest.freePort();
        final Path journal = populatedJournal(port);
        final Path file = journalFile(journal);
        final long end = lastNonZero(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(end - 40);
        }
        assertRecoversAndContinues(port, journal);
    }

    @Test
    void shouldRecoverTheReadablePartOfAnOverwrittenJournalAndKeepLaterChanges() throws Exception
    {
        cluster = new ClusterFixture("journal-corrupt");
        final int port = ClusterFaultTest.freePort();
        final Path journal = populatedJournal(port);
        final Path file = journalFile(journal);
        final long end = lastNonZero(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            final byte[] junk = new byte[24];
            java.util.Arrays.fill(junk, (byte) 0x5A);
            ch.write(ByteBuffer.wrap(junk), end - 120);
        }
        assertRecoversAndContinues(port, journal);
    }

    /** A head that journaled a few nodes coming and going, stopped gracefully. */
    private Path populatedJournal(int port) throws Exception
    {
        cluster.startHead(port, "--cpus", "1");
        for (int i = 0; i < 3; i++)
        {
            final Process w = cluster.startWorker("w" + i, "--cpus", "1");
            w.destroy();
            w.waitFor();
        }
        cluster.startWorker("stays", "--cpus", "1");
        awaitStatus(s -> s.contains("nodes: 2 alive"));
        cluster.head.destroy();
        cluster.head.waitFor();
        return cluster.home.resolve("journal-" + port);
    }

    private void assertRecoversAndContinues(int port, Path journal) throws Exception
    {
        cluster.startHead(port, "--cpus", "1");
        final String damaged = status();
        assertTrue(damaged.contains("journal: damaged"), "the damage is reported: " + damaged);
        final List<Path> aside;
        try (Stream<Path> s = Files.list(journal))
        {
            aside = s.filter(p -> p.getFileName().toString().startsWith("damaged-")).toList();
        }
        assertEquals(1, aside.size(), "the damaged files are moved aside once");
        try (Stream<Path> s = Files.list(aside.get(0)))
        {
            assertTrue(s.anyMatch(p -> p.toString().endsWith(".cq4")), "the damaged file is kept for a look");
        }
        awaitStatus(s -> s.contains("nodes: 2 alive") && !s.contains("unconfirmed"));

        // a change after the damage is read back by the next restart
        final Process late = cluster.startWorker("late", "--cpus", "1");
        final String lateAddress = addressOf(late);
        awaitStatus(s -> s.contains("nodes: 3 alive"));
        cluster.head.destroy();
        cluster.head.waitFor();
        cluster.startHead(port, "--cpus", "1");
        final String again = status();
        assertFalse(again.contains("journal: damaged"), "the new journal is sound: " + again);
        assertFalse(lineOf(again, lateAddress).isEmpty(), "a node registered after the damage is known again: " + again);
        try (Stream<Path> s = Files.list(journal))
        {
            assertEquals(1, s.filter(p -> p.getFileName().toString().startsWith("damaged-")).count());
        }
    }

    private String status()
    {
        return ClusterClient.status(cluster.headAddress, ClusterFixture.TOKEN);
    }

    private String awaitStatus(Predicate<String> until) throws InterruptedException
    {
        // the head may not be up yet: a failing status request is retried
        return Await.await("the head's status to match", Duration.ofSeconds(30)).ignoreExceptions()
            .until(this::status, until::test);
    }

    /** The status line of the node at {@code address}, trimmed ("" when none). */
    private static String lineOf(String status, String address)
    {
        return status.lines().map(String::trim).filter(l -> l.contains(" " + address + " ")).findFirst().orElse("");
    }

    private String addressOf(Process p) throws IOException
    {
        return Files.readString(cluster.home.resolve("nodes").resolve(p.pid() + ".pid")).trim().split(" ")[1];
    }

    private static Path journalFile(Path journal) throws IOException
    {
        try (Stream<Path> s = Files.list(journal))
        {
            return s.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
    }

    /** Offset just past the last non-zero byte (the end of the journal's data; the rest is preallocated zeros). */
    private static long lastNonZero(Path file) throws IOException
    {
        long last = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ))
        {
            final ByteBuffer buf = ByteBuffer.allocate(1 << 20);
            long pos = 0;
            while (true)
            {
                buf.clear();
                final int n = ch.read(buf, pos);
                if (n <= 0)
                {
                    break;
                }
                for (int i = 0; i < n; i++)
                {
                    if (buf.get(i) != 0)
                    {
                        last = pos + i + 1;
                    }
                }
                pos += n;
            }
        }
        return last;
    }
}
