package io.tessera.internal.cluster;

import io.tessera.ObjectLostException;
import io.tessera.internal.StoredObject;
import io.tessera.memory.ObjectId;
import io.tessera.memory.ObjectStore;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An object whose bytes another node holds, and the one way to pull them here: from the holder; when
 * that holder is gone, the object is made again (its owner re-runs the task that made it) and pulled
 * from its new holder. The owner's own objects ({@link RemoteHolder}) re-run their lineage here; a
 * borrowed object asks its owner to ({@link Borrows}).
 */
abstract class HeldElsewhere implements StoredObject.Remote
{
    /** How many times a fetch makes the object again after its holder was gone. */
    private static final int MAX_RELOCATIONS = 2;

    final MemberServices member;
    private final boolean copiesAreSecondary;

    /** {@code copiesAreSecondary}: a copy pulled here may be evicted (the primary stays with the holder). */
    HeldElsewhere(MemberServices member, boolean copiesAreSecondary)
    {
        this.member = member;
        this.copiesAreSecondary = copiesAreSecondary;
    }

    /** The holder to pull from now (making the object again first when its holder is known dead). */
    abstract String holder(ObjectId id);

    /** The pull from {@code lostAt} failed because that holder is gone ({@code why}): make the object again; its new holder. */
    abstract String relocate(ObjectId id, String lostAt, Exception why);

    @Override
    public final void fetch(ObjectStore store, ObjectId id)
    {
        String at = holder(id);
        for (int relocations = 0; ; relocations++)
        {
            try
            {
                pull(at, store, id);
                return;
            }
            catch (Exception ex)
            {
                if (relocations >= MAX_RELOCATIONS || !holderGone(at, ex))
                {
                    throw new ObjectLostException("cannot fetch object " + id + " from " + at + ": " + ex, ex);
                }
                at = relocate(id, at, ex);
            }
        }
    }

    private void pull(String at, ObjectStore store, ObjectId id) throws Exception
    {
        if (at.equals(member.address()) && store.contains(id))
        {
            return;  // this node holds the primary copy (e.g. it re-ran the task): read it in place
        }
        if (member.pull(id, List.of(at)).get(10, TimeUnit.MINUTES).holders() > 0 && copiesAreSecondary)
        {
            store.markSecondary(id);
        }
    }

    /** Whether a pull from {@code at} failed because that node is dead or unreachable (not because it lacks the object). */
    boolean holderGone(String at, Throwable error)
    {
        if (member.isDead(at))
        {
            return true;
        }
        for (Throwable t = error; t != null; t = t.getCause())
        {
            if (t instanceof io.tessera.transport.ObjectTransferException ote)
            {
                return ote.reason() == io.tessera.transport.ObjectTransferException.Reason.PEER_CLOSED;
            }
            if (t instanceof io.tessera.transport.ConnectionClosedException || t instanceof java.io.IOException
                || t instanceof java.util.concurrent.TimeoutException)
            {
                return true;
            }
            if (t instanceof io.tessera.transport.TransportException && !(t instanceof io.tessera.transport.RemoteException))
            {
                return true;
            }
        }
        return false;
    }
}
