package io.tessera.internal.cluster;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.tessera.memory.ObjectId;
import io.tessera.transport.Connection;

/**
 * What every member does with the messages it receives as an owner and as the head's subscriber
 * (decoded by {@link OwnerAdapter}): peers' roles, dead nodes and ended jobs, node statistics,
 * class-path chunks, borrows, re-creation and cancel.
 */
final class MemberHandler implements OwnerAdapter.Handler
{
    private static final Logger LOG = LoggerFactory.getLogger(MemberHandler.class);

    private final MemberServices member;
    private final Owner owner;
    private final NodeService node;
    private final Borrowers borrowers;
    private final PeerRoles roles;

    MemberHandler(MemberServices member, Owner owner, NodeService node, Borrowers borrowers, PeerRoles roles)
    {
        this.member = member;
        this.owner = owner;
        this.node = node;
        this.borrowers = borrowers;
        this.roles = roles;
    }

    @Override
    public void onRole(Connection c, String role)
    {
        final String refused = roles.declare(c, role);
        if (refused != null)
        {
            LOG.warn("peer {}: {}; closing its connection", c.peerNodeId(), refused);
            c.close();
        }
    }

    @Override
    public void onNodeDead(Connection c, String nodeId, String address)
    {
        member.markDead(address);
        borrowers.gone(nodeId, owner.borrows::releaseBorrow);
    }

    @Override
    public void onJobGone(Connection c, String jobId, String driverNodeId)
    {
        member.jobGone(jobId, driverNodeId);
    }

    @Override
    public void onNodeStats(Connection c, long correlationId, boolean gcFirst)
    {
        // off the I/O thread: a collection takes a while
        Thread.ofVirtual().name("tessera-node-stats").start(() ->
            OwnerProxy.replyNodeStats(c, correlationId, NodeStats.collect(member, node, owner, borrowers, roles, gcFirst)));
    }

    @Override
    public void onStateQuery(Connection c, long correlationId, boolean wholeCluster)
    {
        // off the I/O thread: the head asks its nodes and waits for their answers
        Thread.ofVirtual().name("tessera-state-query").start(() ->
        {
            try
            {
                OwnerProxy.replyState(c, correlationId, wholeCluster ? ClusterRecords.gather(member) : member.localRecords());
            }
            catch (RuntimeException ex)
            {
                LOG.warn("state query from {} failed: {}", c.remoteAddress(), ex.toString());
                c.reply(correlationId, Msg.STATE_QUERY, new byte[0]);
            }
        });
    }

    @Override
    public void onFetchJar(Connection c, long correlationId, String sha256, long offset)
    {
        owner.jobs.serveJar(c, correlationId, sha256, offset);
    }

    @Override
    public void onGetObject(Connection c, long correlationId, ObjectId id)
    {
        owner.borrows.lendTo(c, correlationId, id);
        if (owner.borrows.lends(id))
        {
            borrowers.borrowed(c.peerNodeId(), id);
        }
    }

    @Override
    public void onReleaseRef(Connection c, ObjectId id)
    {
        borrowers.released(c.peerNodeId(), id);
        owner.borrows.releaseBorrow(id);
    }

    @Override
    public void onRecreateObject(Connection c, long correlationId, ObjectId id, String lostAt)
    {
        owner.borrows.recreateFor(c, correlationId, id, lostAt);
    }

    @Override
    public void onCancel(Connection c, ObjectId id)
    {
        if (node == null || !node.cancel(id))
        {
            owner.cancelLent(id);
        }
    }
}
