package io.tessera.internal.cluster;

import io.tessera.ObjectLostException;
import io.tessera.TesseraException;
import io.tessera.internal.ObjectCell;
import io.tessera.internal.StoredObject;
import io.tessera.memory.ObjectId;
import io.tessera.transport.Connection;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Refs that cross processes inside values (Ray's borrowing). As an owner: objects other processes
 * borrowed from here are kept alive, counted, described to their borrowers, and re-created for a
 * borrower whose holder died. As a borrower: one cell per borrowed id, completed from the owner,
 * its bytes pulled from their holder (or re-created through the owner), the borrow given back once
 * the cell is unreachable.
 */
final class Borrows
{
    private static final Logger LOG = LoggerFactory.getLogger(Borrows.class);

    private final MemberServices member;

    Borrows(MemberServices member)
    {
        this.member = member;
    }

    /** Pending borrowed cells, by id: their owner's address, where a cancel goes. */
    private final Map<ObjectId, String> borrowedFrom = new ConcurrentHashMap<>();

    /** The owner a pending borrowed cell was borrowed from, or null. */
    String ownerOf(ObjectId id)
    {
        return borrowedFrom.get(id);
    }

    /** A cell owned here that a borrower names: registered as lent, or a ref this process serialized. */
    ObjectCell ownedCell(ObjectId id)
    {
        final Borrowed known = lentOut.get(id);
        return known != null ? known.cell() : member.runtime().lentCell(id);
    }

    /** Objects owned here that other processes hold refs to: the cell, kept alive, and how many borrowers. */
    private final Map<ObjectId, Borrowed> lentOut = new ConcurrentHashMap<>();

    private record Borrowed(ObjectCell cell, int borrowers)
    {
    }

    /** A borrower asks for an object owned here: register the borrow, reply once the object is ready. */
    void lendTo(Connection c, long correlationId, ObjectId id)
    {
        final Borrowed known = lentOut.get(id);
        final ObjectCell cell = known != null ? known.cell() : member.runtime().lentCell(id);
        if (cell == null)
        {
            OwnerProxy.replyObject(c, correlationId, OwnerProxy.error(Wire.serialize(
                new ObjectLostException("object " + id + " is no longer referenced by its owner " + member.address()))));
            return;
        }
        lentOut.compute(id, (k, b) -> new Borrowed(cell, b == null ? 1 : b.borrowers() + 1));
        cell.onDone(() -> OwnerProxy.replyObject(c, correlationId, describe(cell)));
    }

    /** Whether a borrow of {@code id} is registered here. */
    boolean lends(ObjectId id)
    {
        return lentOut.containsKey(id);
    }

    /** One borrow of {@code id} ends (released by its borrower, or the borrower is gone for good). */
    void releaseBorrow(ObjectId id)
    {
        lentOut.computeIfPresent(id, (k, b) -> b.borrowers() <= 1 ? null : new Borrowed(b.cell(), b.borrowers() - 1));
    }

    /** Objects owned here that are borrowed elsewhere right now (for tests and status). */
    int lentOutCount()
    {
        return lentOut.size();
    }

    /** A finished cell owned here, as a borrower needs it: the value, where its bytes are, or the failure. */
    private byte[] describe(ObjectCell cell)
    {
        final Object v;
        try
        {
            v = cell.valueOrFailure();
        }
        catch (RuntimeException failure)
        {
            return OwnerProxy.error(Wire.serialize(failure));
        }
        final StoredObject s = cell.storedObject();
        if (s == null)
        {
            return OwnerProxy.value(v);
        }
        // a ref borrowed here and lent on (inside an object this process holds): its bytes are at their holder
        final String holder = s.remote() instanceof RemoteHolder h ? h.address
            : s.remote() instanceof BorrowedCopy b ? b.holder : member.address();
        return OwnerProxy.storedAt(holder);
    }

    /** Borrowed cells alive here, so that every copy of a ref read in this process shares one cell (one borrow, one pull). */
    private final Map<ObjectId, java.lang.ref.WeakReference<ObjectCell>> borrowed = new ConcurrentHashMap<>();

    /** A ref owned at {@code ownerAddress} arrived here: ask the owner for the object; release the borrow when unreachable. */
    ObjectCell borrow(ObjectId id, String ownerAddress)
    {
        final ObjectCell[] cell = new ObjectCell[1];
        final boolean[] fresh = new boolean[1];
        borrowed.compute(id, (k, known) ->
        {
            final ObjectCell alive = known == null ? null : known.get();
            if (alive != null && !alive.isFailed())
            {
                cell[0] = alive;
                return known;
            }
            cell[0] = member.runtime().newCell(id);
            fresh[0] = true;
            return new java.lang.ref.WeakReference<>(cell[0]);
        });
        if (!fresh[0])
        {
            return cell[0];
        }
        if (borrowed.size() > 65_536)
        {
            borrowed.values().removeIf(r -> r.get() == null);
        }
        return startBorrow(cell[0], id, ownerAddress);
    }

    private ObjectCell startBorrow(ObjectCell cell, ObjectId id, String ownerAddress)
    {
        borrowedFrom.put(id, ownerAddress);
        cell.onDone(() -> borrowedFrom.remove(id, ownerAddress));
        final BorrowRelease release = new BorrowRelease(id, ownerAddress);
        member.runtime().cleaner().register(cell, release);
        member.connect(ownerAddress)
            .thenCompose(c -> OwnerProxy.getObject(c, id))
            .whenComplete((reply, error) ->
            {
                if (error != null)
                {
                    cell.failWith(new ObjectLostException("cannot borrow object " + id + " from its owner " + ownerAddress
                        + ": " + error.getMessage(), error));
                    return;
                }
                final Wire.In r = new Wire.In(reply);
                switch (r.i32())
                {
                    case Msg.VALUE -> cell.completeWith(Wire.readValue(r, Wire.loader()));
                    case Msg.STORED ->
                    {
                        final StoredObject s = new StoredObject(member.runtime().store(), id, new BorrowedCopy(r.str(), ownerAddress));
                        release.stored = s;
                        cell.completeWithStored(s);
                    }
                    default -> cell.failWith(RemoteErrors.remoteFailure(r.bytes(), "borrowed object " + id));
                }
            });
        return cell;
    }

    /**
     * A borrowed object's bytes: pulled from its holder on first read; the primary copy is the owner's
     * to free. When the holder is gone, the owner re-creates the object (lineage) and names the new holder.
     */
    private final class BorrowedCopy extends HeldElsewhere
    {
        private volatile String holder;
        private final String ownerAddress;

        BorrowedCopy(String holder, String ownerAddress)
        {
            super(Borrows.this.member, true);
            this.holder = holder;
            this.ownerAddress = ownerAddress;
        }

        @Override
        String holder(ObjectId id)
        {
            return holder;
        }

        @Override
        String relocate(ObjectId id, String lostAt, Exception why)
        {
            LOG.info("borrowed object {}: holder {} is gone ({}); asking its owner {} to re-create it",
                id, lostAt, why, ownerAddress);
            final String again = recreate(id, lostAt);
            holder = again;
            return again;
        }

        @Override
        public boolean isHeldHere()
        {
            return holder.equals(member.address());
        }

        /** Asks the owner to re-create the object whose holder {@code lostAt} is gone; returns the new holder. */
        private String recreate(ObjectId id, String lostAt)
        {
            final byte[] reply;
            try
            {
                reply = member.connect(ownerAddress).thenCompose(c -> OwnerProxy.recreateObject(c, id, lostAt)).get(10, TimeUnit.MINUTES);
            }
            catch (Exception ex)
            {
                throw new ObjectLostException("borrowed object " + id + " was lost with its holder " + lostAt
                    + " and its owner " + ownerAddress + " cannot be reached to re-create it: " + ex, ex);
            }
            final Wire.In r = new Wire.In(reply);
            final int tag = r.i32();
            if (tag == Msg.STORED)
            {
                return r.str();
            }
            final RuntimeException why = tag == Msg.ERROR ? RemoteErrors.remoteFailure(r.bytes(), "borrowed object " + id)
                : new TesseraException("unexpected reply tag " + tag);
            if (why instanceof ObjectLostException lost)
            {
                throw lost;
            }
            throw new ObjectLostException("borrowed object " + id + " was lost with its holder " + lostAt
                + " and its owner " + ownerAddress + " could not re-create it: " + why, why);
        }

        @Override
        public void release(ObjectId id)
        {
            // the holder keeps the primary copy until its owner frees it
        }
    }

    /**
     * RECREATE_OBJECT from a borrower that could not pull an object owned here from {@code lostAt}:
     * once that holder is known dead, re-run the object's task (lineage) and reply with the new holder.
     * Runs off the transport thread (a re-run blocks).
     */
    void recreateFor(Connection c, long correlationId, ObjectId id, String lostAt)
    {
        final Borrowed known = lentOut.get(id);
        final ObjectCell cell = known != null ? known.cell() : member.runtime().lentCell(id);
        if (cell == null)
        {
            OwnerProxy.replyRecreated(c, correlationId, OwnerProxy.error(Wire.serialize(new ObjectLostException(
                "object " + id + " was lost with its holder " + lostAt + " and is no longer referenced by its owner "
                    + member.address()))));
            return;
        }
        Thread.ofVirtual().name("tessera-recreate-" + id).start(() ->
        {
            byte[] reply;
            try
            {
                if (cell.isDone() && cell.storedObject() != null && cell.storedObject().remote() instanceof RemoteHolder h)
                {
                    if (lostAt != null && lostAt.equals(h.address))
                    {
                        awaitDeath(lostAt);
                    }
                    h.ensureAlive();
                }
                reply = describe(cell);
            }
            catch (RuntimeException ex)
            {
                byte[] why;
                try
                {
                    why = Wire.serialize(ex);
                }
                catch (RuntimeException notSerializable)
                {
                    why = Wire.serialize(new ObjectLostException(ex.toString()));
                }
                reply = OwnerProxy.error(why);
            }
            OwnerProxy.replyRecreated(c, correlationId, reply);
        });
    }

    /** Waits a little for the head's word that a node a borrower could not reach is dead (kill -9 is seen at once). */
    private void awaitDeath(String address)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!member.isDead(address) && System.nanoTime() < deadline)
        {
            member.refreshViewNow();
            if (member.isDead(address))
            {
                return;
            }
            try
            {
                Thread.sleep(100);
            }
            catch (InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Runs when a borrowed ref is unreachable here: drops the local copy and tells the owner. */
    private final class BorrowRelease implements Runnable
    {
        private final ObjectId id;
        private final String ownerAddress;
        volatile StoredObject stored;

        BorrowRelease(ObjectId id, String ownerAddress)
        {
            this.id = id;
            this.ownerAddress = ownerAddress;
        }

        @Override
        public void run()
        {
            final StoredObject s = stored;
            if (s != null)
            {
                s.run();
            }
            if (!member.isDead(ownerAddress))
            {
                member.connect(ownerAddress).thenAccept(c -> OwnerProxy.releaseRef(c, id));
            }
        }
    }
}
