package io.tessera.internal.cluster;

import io.tessera.ObjectLostException;
import io.tessera.memory.ObjectId;
import io.tessera.memory.ObjectStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Where an object made by a remote task lives, and how to make it again (lineage). */
final class RemoteHolder extends HeldElsewhere implements Lineage.Remade, NodeProxy.Held
{
    private static final Logger LOG = LoggerFactory.getLogger(RemoteHolder.class);

    private final Lineage owner;
    volatile String nodeId;
    volatile String address;
    final long size;
    /** Nodes that pulled a copy to run a task of ours (they may have evicted it since). */
    final Set<String> copies = ConcurrentHashMap.newKeySet();
    private final RemoteTask lineage;

    RemoteHolder(Lineage owner, MemberServices member, String nodeId, String address, long size, RemoteTask lineage)
    {
        super(member, false);
        this.owner = owner;
        this.nodeId = nodeId;
        this.address = address;
        this.size = size;
        this.lineage = lineage;
    }

    @Override
    public void moved(String newNodeId, String newAddress)
    {
        nodeId = newNodeId;
        address = newAddress;
        copies.clear();
    }

    @Override
    public String liveHolder()
    {
        ensureAlive();
        return address;
    }

    @Override
    public Set<String> copies()
    {
        return copies;
    }

    /** Re-creates the object by re-running its task when its holder died. */
    synchronized void ensureAlive()
    {
        if (!member.isDead(address))
        {
            return;
        }
        if (lineage == null)
        {
            throw new ObjectLostException("object held by dead node " + nodeId + " at " + address + " has no lineage to re-create it");
        }
        LOG.info("re-creating object {} (lost with node {}) by re-running {}",
            lineage.result.id(), address, lineage.name);
        lineage.attempts = 0;
        try
        {
            owner.rerun(lineage, this).get(10, TimeUnit.MINUTES);
        }
        catch (Exception ex)
        {
            throw new ObjectLostException("object " + lineage.result.id() + " was lost with node " + nodeId
                + " and re-running " + lineage.name + " failed: " + ex, ex);
        }
    }

    /** A driver on the holder's host reads the holder's store directly (zero-copy) while the holder lives. */
    @Override
    public ObjectStore sharedStore(ObjectId id)
    {
        if (member.role() != Role.DRIVER || member.isDead(address))
        {
            return null;
        }
        final ObjectStore shared = member.sharedStoreOf(nodeId);
        return shared != null && shared.contains(id) ? shared : null;
    }

    @Override
    String holder(ObjectId id)
    {
        ensureAlive();
        return address;
    }

    /** The holder went away during the pull: once it is dead, the object is made again (lineage). */
    @Override
    String relocate(ObjectId id, String lostAt, Exception why)
    {
        if (RemoteErrors.isConnectionLoss(why))
        {
            member.markDead(lostAt);
        }
        ensureAlive();
        return address;
    }

    @Override
    public void release(ObjectId id)
    {
        final String at = address;
        if (member.isDead(at))
        {
            return;
        }
        member.connect(at).thenAccept(c -> NodeProxy.freeObject(c, id));
    }
}
