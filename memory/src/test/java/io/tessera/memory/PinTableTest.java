package io.tessera.memory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static io.tessera.memory.internal.EntryLayout.*;
import static io.tessera.memory.internal.StoreLayout.*;
import static org.junit.jupiter.api.Assertions.*;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PinTableTest
{
    private static final ObjectId ID = ObjectId.of(7, 1);

    @TempDir
    Path spillDir;
    private StoreRoles roles;

    @BeforeEach
    void setUp()
    {
        roles = new StoreRoles(1L << 20, 64, spillDir.resolve("spill"));
    }

    @AfterEach
    void tearDown()
    {
        roles.close();
    }

    private int pin(final long slot, final ObjectId id)
    {
        return roles.pins.pin(slot, roles.table.entry(slot), id.hi(), id.lo());
    }

    private boolean unpin(final long slot)
    {
        return roles.pins.unpin((int)slot, roles.table.entry(slot));
    }

    @Test
    void shouldSetClientBitOnFirstPinAndClearItOnLastUnpin()
    {
        final long slot = roles.sealed(ID, 128, 1, false);
        final long bit = pinBit(roles.clientIndex);

        assertEquals(1, pin(slot, ID));
        assertEquals(bit, pins(roles.word(slot)) << PIN_SHIFT, "one bit per client, set by the first pin");
        assertEquals(1, pin(slot, ID));
        assertEquals(2, roles.pins.localPins(slot), "further pins are counted in this process only");
        assertEquals(bit, pins(roles.word(slot)) << PIN_SHIFT);
        assertEquals(1, roles.table.pinnedSlots());

        assertTrue(unpin(slot));
        assertEquals(bit, pins(roles.word(slot)) << PIN_SHIFT, "bit stays while a pin is left");
        assertTrue(unpin(slot));
        assertEquals(0, pins(roles.word(slot)), "last unpin clears the bit");
        assertEquals(SEALED, state(roles.word(slot)));
        assertEquals(0, roles.pins.localPins(slot));
        assertEquals(0, roles.table.pinnedSlots());
    }

    @Test
    void shouldReportUnpinWithoutPin()
    {
        final long slot = roles.sealed(ID, 128, 1, false);
        assertFalse(unpin(slot));
        assertEquals(1, pin(slot, ID));
        assertTrue(unpin(slot));
        assertFalse(unpin(slot));
    }

    @Test
    void shouldRefuseToPinAnUnsealedObject()
    {
        final long slot = roles.creating(ID, 128, (byte)1, roles.clientIndex);
        assertEquals(-1, pin(slot, ID));
        assertEquals(0, pins(roles.word(slot)));
        assertEquals(0, roles.pins.localPins(slot));
    }

    @Test
    void shouldAskForRetryWhenTheSlotHoldsAnotherObject()
    {
        final long slot = roles.sealed(ID, 128, 1, false);
        assertEquals(0, pin(slot, ObjectId.of(7, 2)), "an id that does not match the slot is a retry");
        assertEquals(0, pins(roles.word(slot)), "no bit left behind");
        assertEquals(0, roles.pins.localPins(slot));

        assertEquals(1, pin(slot, ID));
        assertEquals(0, pin(slot, ObjectId.of(7, 2)), "also when this process already pins the slot");
        assertEquals(1, roles.pins.localPins(slot), "the extra count was taken back");
        assertTrue(unpin(slot));
    }

    @Test
    void shouldAskForRetryWhileTheObjectIsBeingEvicted()
    {
        final long slot = roles.sealed(ID, 128, 1, false);
        roles.setWord(slot, EVICTING);
        assertEquals(0, pin(slot, ID));
        assertEquals(0, pins(roles.word(slot)));
    }

    @Test
    void shouldFreeADeletedObjectAtItsLastUnpin()
    {
        final long slot = roles.sealed(ID, 4096, 1, false);
        final long usedBefore = roles.counter(USED_BYTES_OFFSET);
        assertTrue(usedBefore > 0);
        assertEquals(1, pin(slot, ID));
        assertEquals(1, pin(slot, ID));
        // what delete() does to a pinned object: the pins stay, the state goes
        roles.setWord(slot, (roles.word(slot) & ~STATE_MASK) | DELETE_PENDING);

        assertTrue(unpin(slot));
        assertEquals(DELETE_PENDING, state(roles.word(slot)), "still pinned once");
        assertTrue(unpin(slot));

        assertEquals(-1, roles.table.lookup(ID.hi(), ID.lo()), "freed at the last unpin");
        assertEquals(0, roles.counter(USED_BYTES_OFFSET));
        assertEquals(0, roles.counter(OBJECTS_OFFSET));
        assertEquals(0, roles.counter(LIVE_ENTRIES_OFFSET));
    }

    @Test
    void shouldLeaveADeletedObjectAnotherClientStillPins()
    {
        final long slot = roles.sealed(ID, 4096, 1, false);
        assertEquals(1, pin(slot, ID));
        final int other = roles.clientIndex == 0 ? 1 : 0;
        roles.setWord(slot, (roles.word(slot) & ~STATE_MASK) | DELETE_PENDING | pinBit(other));

        assertTrue(unpin(slot));

        assertEquals(DELETE_PENDING | pinBit(other), roles.word(slot), "only this client's bit is cleared");
        assertEquals(slot, roles.table.lookup(ID.hi(), ID.lo()));
        assertEquals(1, roles.counter(OBJECTS_OFFSET));
    }
}
