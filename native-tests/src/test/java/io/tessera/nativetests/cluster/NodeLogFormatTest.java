package io.tessera.nativetests.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node process's log (what {@code tessera start} redirects to {@code ~/.tessera/logs/node-*.log}): one line
 * per record, {@code <ISO date-time> <LEVEL> <logger short name> - <message>}, for Tessera's own records and
 * its libraries' alike, never {@code java.util.logging}'s two-line records.
 */
@Timeout(120)
class NodeLogFormatTest
{
    /** {@code 2026-12-03T16:31:38.123Z INFO ClusterMember - HEAD node-1-2 at 127.0.0.1:6380 joined ...}. */
    static final Pattern RECORD = Pattern.compile(
        "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}(Z|[+-]\\d{2}:\\d{2}) (TRACE|DEBUG|INFO|WARN|ERROR) [\\w$]+ - \\S.*");

    /** Every line of {@code log} is one record in the node format; returns the lines. */
    static List<String> assertOneLinePerRecord(Path log) throws Exception
    {
        final List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        for (String line : lines)
        {
            assertTrue(RECORD.matcher(line).matches(), "not a one-line record: '" + line + "' in " + log + ":\n"
                + String.join("\n", lines));
        }
        return lines;
    }

    @Test
    void shouldLogOneLinePerRecordWithTimeLevelLoggerAndMessage() throws Exception
    {
        try (ClusterFixture cluster = new ClusterFixture("log-format"))
        {
            cluster.startHead(0, "--cpus", "1");
            final Process worker = cluster.startWorker("worker", "--cpus", "1");
            worker.destroy();
            assertTrue(worker.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "worker stopped");
            // the head declares the stopped worker dead within its 1 s heartbeat timeout: a WARN record
            final Path headLog = cluster.logs.resolve("head.log");
            final long deadline = System.nanoTime() + 30_000_000_000L;
            while (!Files.readString(headLog).contains(" declared dead: ") && System.nanoTime() < deadline)
            {
                Thread.sleep(50);
            }
            cluster.head.destroy();   // its shutdown records too, and no line half written when read
            assertTrue(cluster.head.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "head stopped");

            final List<String> head = assertOneLinePerRecord(headLog);
            final List<String> work = assertOneLinePerRecord(cluster.logs.resolve("worker.log"));
            assertTrue(contains(head, " INFO Endpoint - tessera transport "), "the transport's record:\n" + head);
            assertTrue(contains(head, " INFO ClusterMember - HEAD "), "the cluster's record:\n" + head);
            assertTrue(contains(head, " INFO NodeMain - node "), "the node's own record:\n" + head);
            assertTrue(contains(head, " WARN HeadService - node "), "the head's warning:\n" + head);
            assertTrue(contains(work, " INFO ClusterMember - WORKER "), "the worker's record:\n" + work);
            assertEquals(1, head.stream().filter(l -> l.contains(" serving at ")).count(), String.join("\n", head));
        }
    }

    private static boolean contains(List<String> lines, String part)
    {
        return lines.stream().anyMatch(l -> l.contains(part));
    }
}
