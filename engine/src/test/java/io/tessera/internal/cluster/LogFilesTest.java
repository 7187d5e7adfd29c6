package io.tessera.internal.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Reading log files by tail and from a position, as {@code tessera logs [--follow]} does. */
class LogFilesTest
{
    @TempDir
    Path dir;

    @Test
    void shouldReadTheLastLinesThenOnlyWholeNewLines() throws Exception
    {
        final Path f = Files.writeString(dir.resolve("job-j1.log"), "one\ntwo\nthree\n");
        final LogLines first = LogFiles.read(List.of(f), null, 2, Map.of());
        assertEquals(List.of("two", "three"), first.lines());
        assertEquals(Map.of("job-j1.log", 14L), first.positions());

        Files.writeString(f, "four\nfive, not ended", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        final LogLines next = LogFiles.read(List.of(f), null, 2, first.positions());
        assertEquals(List.of("four"), next.lines(), "a line still being written waits for its line break");
        assertEquals(Map.of("job-j1.log", 19L), next.positions());
        assertEquals(List.of(), LogFiles.read(List.of(f), null, 2, next.positions()).lines());
    }

    @Test
    void shouldKeepOnlyTheLinesOfThePrefixAcrossFiles() throws Exception
    {
        final Path a = Files.writeString(dir.resolve("job-a.log"), "(Counter.add pid=1 node=n) 1\n(f pid=1 node=n) x\n");
        final Path b = Files.writeString(dir.resolve("job-b.log"), "(Counter.get pid=1 node=n) 2\n");
        final LogLines l = LogFiles.read(List.of(a, b), "(Counter.", 10, Map.of());
        assertEquals(List.of("(Counter.add pid=1 node=n) 1", "(Counter.get pid=1 node=n) 2"), l.lines());
        assertEquals(2, l.positions().size());
    }

    @Test
    void shouldStartOverWhenTheFileShrank() throws Exception
    {
        final Path f = Files.writeString(dir.resolve("node.log"), "new\n");
        assertEquals(List.of("new"), LogFiles.read(List.of(f), null, 5, Map.of("node.log", 1000L)).lines());
    }

    @Test
    void shouldRefuseAQueryWithoutExactlyOneTarget()
    {
        assertThrows(IllegalArgumentException.class, () -> new LogQuery("j", "a", null, 1, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new LogQuery(null, null, null, 1, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new LogQuery("j", null, null, -1, Map.of()));
    }
}
