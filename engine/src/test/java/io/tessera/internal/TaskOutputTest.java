package io.tessera.internal;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-thread routing stream under System.out/err on a node: task lines to the sink, the rest untouched. */
class TaskOutputTest
{
    private record Src(String logJob, String logName) implements TaskOutput.Source
    {
    }

    private final ByteArrayOutputStream original = new ByteArrayOutputStream();
    private final List<String> captured = new ArrayList<>();
    private final AtomicReference<TaskOutput.Source> running = new AtomicReference<>();
    private final TaskOutput.Sink sink = (source, err, text) -> captured.add(source.logJob() + "|" + source.logName() + "|"
        + (err ? "err" : "out") + "|" + text);
    private final TaskOutput.Routed stream = new TaskOutput.Routed(new PrintStream(original, true, StandardCharsets.UTF_8), true,
        () -> sink, running::get);

    private String originalText()
    {
        return original.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldSendTheLinesOfATaskToTheSinkAndTheRestToTheOriginal()
    {
        stream.println("driver-side line");
        final Src task = new Src("j1", "Counter.add");
        running.set(task);
        stream.print("hel");
        stream.println("lo ✓");
        stream.printf("%d%n", 42);
        running.set(null);
        stream.println("after");

        assertEquals(List.of("j1|Counter.add|err|hello ✓", "j1|Counter.add|err|42"), captured);
        assertEquals("driver-side line" + System.lineSeparator() + "after" + System.lineSeparator(), originalText());
    }

    @Test
    void shouldLeaveCodeOfNoJobAlone()
    {
        running.set(new Src(null, "engine"));
        stream.println("not captured");
        assertEquals(List.of(), captured);
        assertTrue(originalText().contains("not captured"));
    }

    @Test
    void shouldFlushALineWithoutBreakWhenItsTaskEnds()
    {
        final Src task = new Src("j1", "f");
        running.set(task);
        stream.print("no line break");
        assertEquals(List.of(), captured);
        stream.flushPartial(task);
        assertEquals(List.of("j1|f|err|no line break"), captured);
        stream.flushPartial(task);
        assertEquals(1, captured.size(), "flushed once");
    }

    @Test
    void shouldEndAPendingLineWhenAnotherTaskWritesOnTheThread()
    {
        running.set(new Src("j1", "outer"));
        stream.print("outer part");
        running.set(new Src("j1", "inner"));
        stream.println("inner line");
        assertEquals(List.of("j1|outer|err|outer part", "j1|inner|err|inner line"), captured);
    }

    @Test
    void shouldSplitOverlongLines()
    {
        running.set(new Src("j1", "f"));
        stream.println("x".repeat(TaskOutput.MAX_LINE + 10));
        assertEquals(2, captured.size());
        assertEquals("j1|f|err|" + "x".repeat(TaskOutput.MAX_LINE), captured.get(0));
        assertEquals("j1|f|err|" + "x".repeat(10), captured.get(1));
    }

    @Test
    void shouldWriteToTheOriginalWhenNoSinkIsInstalled()
    {
        final TaskOutput.Routed noSink = new TaskOutput.Routed(new PrintStream(original, true, StandardCharsets.UTF_8), false,
            () -> null, running::get);
        running.set(new Src("j1", "f"));
        noSink.println("plain");
        assertEquals(List.of(), captured);
        assertTrue(originalText().contains("plain"));
    }
}
