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

    private final ClusterMember member;

    MemberHandler(ClusterMember member)
    {
        this.member = member;
    }

    @Override
    public void onRole(Connection c, String role)
    {
        final String refused = member.roles.declare(c, role);
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
        member.borrowers.gone(nodeId, member.owner.borrows::releaseBorrow);
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
            OwnerProxy.replyNodeStats(c, correlationId, NodeStats.collect(member, gcFirst)));
    }

    @Override
    public void onStateQuery(Connection c, long correlationId, boolean wholeCluster)
    {
        // off the I/O thread: the head asks its nodes and waits for their answers
        Thread.ofVirtual().name("tessera-state-query").start(() ->
        {
            try
            {
                OwnerProxy.replyState(c, correlationId, wholeCluster ? ClusterRecords.gather(member) : member.runtime.localRecords());
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
        member.owner.jobs.serveJar(c, correlationId, sha256, offset);
    }

    @Override
    public void onGetObject(Connection c, long correlationId, ObjectId id)
    {
        member.owner.borrows.lendTo(c, correlationId, id);
        if (member.owner.borrows.lends(id))
        {
            member.borrowers.borrowed(c.peerNodeId(), id);
        }
    }

    @Override
    public void onReleaseRef(Connection c, ObjectId id)
    {
        member.borrowers.released(c.peerNodeId(), id);
        member.owner.borrows.releaseBorrow(id);
    }

    @Override
    public void onRecreateObject(Connection c, long correlationId, ObjectId id, String lostAt)
    {
        member.owner.borrows.recreateFor(c, correlationId, id, lostAt);
    }

    @Override
    public void onCancel(Connection c, ObjectId id)
    {
        if (member.node == null || !member.node.cancel(id))
        {
            member.owner.cancelLent(id);
        }
    }
}
