package io.tessera.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The yield guard on a clock of its own: a yield that takes a time slice turns yielding off for a back-off. */
class YieldingTest
{
    private long now = 1_000;
    /** What the next yield takes, on the fake clock. */
    private long nextYieldTakes;
    private int yields;
    private final Yielding yielding = new Yielding(() -> now, () ->
    {
        yields++;
        now += nextYieldTakes;
    });

    @Test
    void shouldKeepYieldingWhileYieldsAreShort()
    {
        nextYieldTakes = 2_000;
        for (int i = 0; i < 100; i++)
        {
            assertTrue(yielding.tryYield());
        }
        assertEquals(100, yields);
        assertFalse(yielding.isOff());
    }

    @Test
    void shouldParkInsteadOfYieldingForTheBackOffAfterAYieldTookATimeSlice()
    {
        nextYieldTakes = 3_000_000;
        assertFalse(yielding.tryYield(), "a yield that took a slice: park instead of yielding again");
        assertTrue(yielding.isOff());
        assertFalse(yielding.tryYield(), "off: no yield at all");
        assertEquals(1, yields);

        now += Yielding.BACK_OFF_NS;
        nextYieldTakes = 1_000;
        assertTrue(yielding.tryYield(), "after the back-off, yields are tried again");
        assertEquals(2, yields);
    }

    @Test
    void shouldDoubleTheBackOffWhileYieldsKeepTakingTimeSlicesAndResetItAfterAShortOne()
    {
        nextYieldTakes = 3_000_000;
        assertFalse(yielding.tryYield());
        now += Yielding.BACK_OFF_NS;
        assertFalse(yielding.tryYield(), "the neighbour is still there");
        now += Yielding.BACK_OFF_NS;
        assertTrue(yielding.isOff(), "the second back-off is twice the first");
        now += Yielding.BACK_OFF_NS;
        assertFalse(yielding.isOff());

        nextYieldTakes = 1_000;
        assertTrue(yielding.tryYield(), "a short yield: the neighbour left");
        nextYieldTakes = 3_000_000;
        assertFalse(yielding.tryYield());
        now += Yielding.BACK_OFF_NS;
        assertFalse(yielding.isOff(), "the back-off is back to its first length");
    }
}
