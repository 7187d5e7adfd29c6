package io.tessera.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bounded queue of captured lines: never blocks, drops what does not fit and says how much, per job. */
class BoundedLinesTest
{
    @Test
    void shouldDropWhatDoesNotFitAndMarkItPerJob() throws Exception
    {
        final BoundedLines q = new BoundedLines(2, "(here) ");
        assertTrue(q.offer(new BoundedLines.Line("a", false, "a1")));
        assertTrue(q.offer(new BoundedLines.Line("b", false, "b1")));
        assertFalse(q.offer(new BoundedLines.Line("a", false, "a2")));
        assertFalse(q.offer(new BoundedLines.Line("a", true, "a3")));
        assertFalse(q.offer(new BoundedLines.Line("b", false, "b2")));
        assertEquals(3, q.droppedTotal());

        final List<BoundedLines.Line> out = new ArrayList<>();
        assertEquals(4, q.drain(out, 0));
        assertEquals(List.of(new BoundedLines.Line("a", false, "a1"), new BoundedLines.Line("b", false, "b1")), out.subList(0, 2));
        assertTrue(out.contains(new BoundedLines.Line("a", true, q.marker(2))), out.toString());
        assertTrue(out.contains(new BoundedLines.Line("b", true, q.marker(1))), out.toString());
        assertTrue(q.marker(1).startsWith("(here) … 1 lines dropped"), q.marker(1));

        out.clear();
        assertTrue(q.offer(new BoundedLines.Line("a", false, "a4")), "room again once drained");
        assertEquals(1, q.drain(out, 0));
        assertEquals(List.of(new BoundedLines.Line("a", false, "a4")), out, "a marker only after new drops");
    }

    @Test
    void shouldReturnNothingWhenEmpty() throws Exception
    {
        final List<BoundedLines.Line> out = new ArrayList<>();
        assertEquals(0, new BoundedLines(4, "").drain(out, 0));
        assertEquals(List.of(), out);
    }

    @Test
    void shouldRefuseANonPositiveCapacity()
    {
        assertThrows(IllegalArgumentException.class, () -> new BoundedLines(0, ""));
    }
}
