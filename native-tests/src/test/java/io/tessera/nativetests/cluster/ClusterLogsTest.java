package io.tessera.nativetests.cluster;

import io.tessera.testing.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What tasks print on a worker reaches the driver's console, prefixed by where it ran, and stays in the worker's
 * per-job log file, which {@code tessera logs} reads through the head (issue #14, logs).
 */
@Timeout(300)
class ClusterLogsTest
{
    static ClusterFixture cluster;
    static Process worker;

    @BeforeAll
    static void startCluster() throws Exception
    {
        cluster = new ClusterFixture("logs");
        cluster.nodeJvmOptions.add("-Dtessera.logLinesBuffered=1000");
        cluster.startHead(0, "--cpus", "1");
        // the worker's own log, as tessera start would tell it
        cluster.nodeJvmOptions.add("-Dtessera.logFile=" + cluster.logs.resolve("w.log").toAbsolutePath());
        worker = cluster.startWorker("w", "--cpus", "2", "--resource", "slot=8");
    }

    @AfterAll
    static void stopCluster() throws Exception
    {
        cluster.close();
    }

    private String prefix(String function)
    {
        return "(" + function + " pid=" + worker.pid() + " node=" + cluster.address("w") + ") ";
    }

    private static void awaitOutput(String driver, String... parts)
    {
        final Path log = cluster.logs.resolve(driver + ".log");
        Await.await(driver + "'s output to have " + List.of(parts) + "; log: " + log, Duration.ofSeconds(90)).until(() ->
        {
            final String out = Files.readString(log);
            for (String p : parts)
            {
                if (!out.contains(p))
                {
                    return false;
                }
            }
            return true;
        });
    }

    private static void finish(Process driver, String name) throws Exception
    {
        driver.getOutputStream().write('\n');
        driver.getOutputStream().flush();
        assertTrue(driver.waitFor(60, TimeUnit.SECONDS), "driver " + name + " did not finish");
        assertEquals(0, driver.exitValue(), Files.readString(cluster.logs.resolve(name + ".log")));
    }

    /** The worker's job file holding {@code text}, once there. */
    private static Path jobFileWith(String text)
    {
        final Path[] found = new Path[1];
        Await.await("a job log file under " + cluster.home + " with '" + text + "'", Duration.ofSeconds(60)).until(() ->
        {
            try (Stream<Path> files = Files.walk(cluster.home.resolve("logs")))
            {
                for (Path f : files.filter(f -> f.getFileName().toString().startsWith("job-")).toList())
                {
                    if (Files.readString(f, StandardCharsets.UTF_8).contains(text))
                    {
                        found[0] = f;
                        return true;
                    }
                }
            }
            return false;
        });
        return found[0];
    }

    private static String jobOf(Path jobFile)
    {
        final String name = jobFile.getFileName().toString();
        return name.substring("job-".length(), name.length() - ".log".length());
    }

    record Result(int exit, String output)
    {
    }

    private static Result tessera(String... args) throws Exception
    {
        final List<String> cmd = ClusterFixture.java(ClusterFixture.nodeClassPath());
        cmd.add("io.tessera.cli.Main");
        cmd.addAll(List.of(args));
        final ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("TESSERA_HOME", cluster.home.toString());
        pb.environment().put("TESSERA_TOKEN", ClusterFixture.TOKEN);
        pb.environment().remove("TESSERA_ADDRESS");
        final Process p = pb.start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "tessera " + String.join(" ", args) + " did not return");
        return new Result(p.exitValue(), out);
    }

    @Test
    void shouldPrintTaskOutputOnTheDriverPrefixedByWhereItRanAndServeItWithTesseraLogs() throws Exception
    {
        final String marker = "m-" + UUID.randomUUID();
        final Process driver = cluster.startDriver("print", LogsApp.class, "print", cluster.headAddress(), marker);
        awaitOutput("print", "driver: ready", prefix("LogsApp.chatty") + "task says " + marker,
            prefix("LogsApp.chatty") + "task warns " + marker, "task logs " + marker,
            prefix("Loud.shout") + "actor shouts " + marker);
        final String printed = Files.readString(cluster.logs.resolve("print.log"));
        assertTrue(printed.lines().anyMatch(l -> l.startsWith(prefix("LogsApp.chatty")) && l.contains(" INFO app - task logs " + marker)),
            "the task's SLF4J record, prefixed:\n" + printed);

        final String job = jobOf(jobFileWith("actor shouts " + marker));
        final Result byJob = tessera("logs", "--address", cluster.headAddress(), "--job", job);
        assertEquals(0, byJob.exit(), byJob.output());
        assertTrue(byJob.output().contains(prefix("LogsApp.chatty") + "task says " + marker), byJob.output());
        assertTrue(byJob.output().contains(prefix("Loud.shout") + "actor shouts " + marker), byJob.output());

        final Result byActor = tessera("logs", "--address", cluster.headAddress(), "--actor", "loud", "--tail", "5");
        assertEquals(0, byActor.exit(), byActor.output());
        assertTrue(byActor.output().contains(prefix("Loud.shout") + "actor shouts " + marker), byActor.output());
        assertFalse(byActor.output().contains("task says"), "only the actor's lines: " + byActor.output());

        final Result unknown = tessera("logs", "--address", cluster.headAddress(), "--job", "no-such-job");
        assertEquals(1, unknown.exit(), unknown.output());
        assertTrue(unknown.output().contains("no output of job no-such-job on any node"), unknown.output());
        assertEquals(1, unknown.output().strip().lines().count(), "one line: " + unknown.output());
        final Result noNode = tessera("logs", "--address", cluster.headAddress(), "--node", "10.9.9.9:1");
        assertEquals(1, noNode.exit(), noNode.output());
        assertTrue(noNode.output().contains("no node 10.9.9.9:1 in the cluster"), noNode.output());
        final Result ownLog = tessera("logs", "--address", cluster.headAddress(), "--node", cluster.address("w"), "--tail", "1000");
        assertEquals(0, ownLog.exit(), ownLog.output());
        assertTrue(ownLog.output().contains(" INFO ClusterMember - WORKER "), "the worker's own log: " + ownLog.output());
        final Result headLog = tessera("logs", "--address", cluster.headAddress(), "--node", cluster.headAddress());
        assertEquals(1, headLog.exit(), headLog.output());
        assertTrue(headLog.output().contains("has no log file of its own"), headLog.output());
        final Result two = tessera("logs", "--address", cluster.headAddress(), "--job", job, "--node", "x");
        assertEquals(2, two.exit(), two.output());

        final Path followed = cluster.logs.resolve("follow.log");
        final List<String> cmd = ClusterFixture.java(ClusterFixture.nodeClassPath());
        cmd.addAll(List.of("io.tessera.cli.Main", "logs", "--address", cluster.headAddress(), "--job", job, "--follow"));
        final ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(followed.toFile());
        pb.environment().put("TESSERA_HOME", cluster.home.toString());
        pb.environment().put("TESSERA_TOKEN", ClusterFixture.TOKEN);
        final Process follow = pb.start();
        try
        {
            awaitOutput("follow", "actor shouts " + marker);
            finish(driver, "print");  // runs chatty(marker-late) after the follower printed what was there
            awaitOutput("follow", prefix("LogsApp.chatty") + "task says " + marker + "-late");
            assertTrue(follow.isAlive(), "--follow keeps following");
        }
        finally
        {
            follow.destroy();
            follow.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldKeepTaskOutputOffTheDriverWhenToldButInTheJobFile() throws Exception
    {
        final String marker = "q-" + UUID.randomUUID();
        final Process driver = cluster.startDriver("quiet", LogsApp.class, "quiet", cluster.headAddress(), marker);
        awaitOutput("quiet", "driver: ready");
        final Path file = jobFileWith("actor shouts " + marker);
        assertTrue(Files.readString(file).contains(prefix("LogsApp.chatty") + "task says " + marker), Files.readString(file));
        finish(driver, "quiet");
        final String printed = Files.readString(cluster.logs.resolve("quiet.log"));
        assertFalse(printed.contains("task says " + marker) || printed.contains("actor shouts " + marker),
            "logToDriver(false): nothing of the tasks on the driver's console:\n" + printed);
    }

    @Test
    void shouldDropWhatAFloodCannotShipAndStillFinishTheJob() throws Exception
    {
        final Process driver = cluster.startDriver("flood", LogsApp.class, "flood", cluster.headAddress(), "300000");
        awaitOutput("flood", "driver: flood done 300000", prefix("tessera") + "… ");
        assertTrue(Files.readString(cluster.logs.resolve("flood.log")).lines().anyMatch(l -> l.matches(
            "\\(tessera pid=\\d+ node=\\S+\\) … \\d+ lines dropped \\(task output came faster than it could be shipped\\)")),
            "the drop marker");
        finish(driver, "flood");
        final long shipped = Files.readString(cluster.logs.resolve("flood.log")).lines().filter(l -> l.contains("flood line ")).count();
        assertTrue(shipped < 300_000, "bounded: " + shipped + " of 300000 lines reached the driver");
    }
}
