package io.tessera.jmh;

import io.tessera.jmh.peer.PeerTaskLatency;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps the suites from rotting: runs one benchmark through JMH's Runner, in this JVM (Surefire's
 * argLine carries the project's flags), for one short iteration. Asserts that a result came back,
 * never on its value.
 */
class BenchmarkSmokeTest
{
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldRunOneTesseraBenchmarkAndWriteJson(@TempDir Path dir) throws RunnerException, IOException
    {
        // Another JMH run on this machine (a colleague's, or a bench) holds /tmp/jmh.lock; this run
        // asserts nothing about time, so sharing the cores with it is harmless.
        System.setProperty("jmh.ignoreLock", "true");
        final Path json = dir.resolve("smoke.json");
        final Options options = new OptionsBuilder()
            .include(Pattern.quote(PeerTaskLatency.class.getName() + ".tesseraTask") + "$")
            .forks(0)
            .warmupIterations(0)
            .measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(300))
            .resultFormat(ResultFormatType.JSON)
            .result(json.toString())
            .shouldFailOnError(true)
            .verbosity(VerboseMode.SILENT)
            .build();
        final Collection<RunResult> results = new Runner(options).run();

        assertEquals(1, results.size(), "one benchmark ran");
        assertTrue(results.iterator().next().getPrimaryResult().getSampleCount() > 0, "it took samples");
        assertFalse(Files.readString(json).isBlank(), "JMH wrote its JSON");
    }
}
