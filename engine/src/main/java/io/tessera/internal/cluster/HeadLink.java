package io.tessera.internal.cluster;

import io.tessera.TesseraException;
import io.tessera.scheduler.SchedulerStats;
import io.tessera.transport.Connection;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A member's link to the head: connecting (a node registers, a driver announces its job), the tick every
 * {@link #HEARTBEAT_MS} (a node's heartbeat, the refresh of the head's view of the nodes, reconnecting to a
 * restarted head) and, for a driver, telling the head its job ended.
 */
final class HeadLink
{
    private static final Logger LOG = LoggerFactory.getLogger(HeadLink.class);
    static final long HEARTBEAT_MS = 250;

    private final MemberServices member;
    private final PeerLinks links;
    private final String headAddress;
    /** Whether this member serves as a node (registers and heartbeats), not only as a driver. */
    private final boolean node;
    private final ScheduledExecutorService timer;
    private volatile Connection headConnection;
    private volatile List<NodeView> view = List.of();
    private volatile boolean closed;

    HeadLink(MemberServices member, PeerLinks links, String headAddress, boolean node)
    {
        this.member = member;
        this.links = links;
        this.headAddress = headAddress;
        this.node = node;
        this.timer = Executors.newSingleThreadScheduledExecutor(r ->
        {
            final Thread t = new Thread(r, "tessera-cluster-" + member.role().name().toLowerCase(java.util.Locale.ROOT));
            t.setDaemon(true);
            return t;
        });
    }

    /** Keeps the link up from now on: the tick every {@link #HEARTBEAT_MS}. */
    void startTicking()
    {
        timer.scheduleWithFixedDelay(this::tick, HEARTBEAT_MS, HEARTBEAT_MS, TimeUnit.MILLISECONDS);
    }

    /** Connects to the head (a node registers, a driver announces its job) and reads its view; throws if it cannot. */
    void connectHead()
    {
        final Connection c = member.connect(headAddress).join();
        headConnection = c;
        if (node)
        {
            HeadProxy.register(c, member.runtime().nodeId(), member.address(), Advertise.hostOf(member.address()),
                member.runtime().store().path().toString(), member.runtime().totalResources()).join();
        }
        if (member.role() == Role.DRIVER)
        {
            // again after a head restart: the job lives on while its driver is connected
            HeadProxy.job(c, member.jobId(), member.address());
        }
        refreshView();
    }

    /** Heartbeats, view refresh, reconnecting to a restarted head. */
    private void tick()
    {
        if (closed)
        {
            return;
        }
        try
        {
            final Connection c = headConnection;
            if (c == null || !c.isOpen())
            {
                links.forget(headAddress);
                connectHead();
                LOG.info("{} reconnected to head {}", member.runtime().nodeId(), headAddress);
                return;
            }
            if (node)
            {
                final SchedulerStats st = member.runtime().scheduler().stats();
                HeadProxy.heartbeat(c, member.runtime().nodeId(), freeResources(), st.tasksCompleted(), st.errors());
            }
            refreshView();
        }
        catch (RuntimeException headUnreachable)
        {
            LOG.debug("head {} unreachable: {}", headAddress, headUnreachable.getMessage());
        }
    }

    /** Asks the head for the nodes now (a node that just joined is usable at once); quiet if the head is away. */
    void refreshViewNow()
    {
        try
        {
            refreshView();
        }
        catch (RuntimeException headAway)
        {
            LOG.debug("head {} unreachable for a view refresh: {}", headAddress, headAway.getMessage());
        }
    }

    private void refreshView()
    {
        final List<NodeView> v = HeadProxy.view(headConnection).orTimeout(5, TimeUnit.SECONDS).join();
        final Set<String> alive = new java.util.HashSet<>();
        for (NodeView nv : v)
        {
            if (nv.alive())
            {
                alive.add(nv.address());
            }
        }
        // an address is dead only when no live node has it (a restarted node or head may reuse its old address)
        for (NodeView nv : v)
        {
            if (alive.contains(nv.address()))
            {
                if (!nv.address().equals(member.address()))
                {
                    links.revive(nv.address());
                }
            }
            else
            {
                member.markDead(nv.address());
            }
        }
        view = v;
    }

    private Map<String, Double> freeResources()
    {
        return io.tessera.internal.LocalNodeInfo.freeResources(member.runtime().scheduler().stats());
    }

    /** The head's view of the nodes, as of the last refresh. */
    List<NodeView> view()
    {
        return view;
    }

    /** Whether {@code c} is this member's connection to the head. */
    boolean isHeadConnection(Connection c)
    {
        return c == headConnection;
    }

    /** The open connection to the head; throws when the head is away (the tick reconnects). */
    Connection connection()
    {
        final Connection c = headConnection;
        if (c == null || !c.isOpen())
        {
            throw new TesseraException("the head " + headAddress + " is not reachable right now");
        }
        return c;
    }

    /** Stops the tick; a driver first tells the head that its job ended. */
    void close()
    {
        closed = true;
        if (member.role() == Role.DRIVER)
        {
            endJob();
        }
        timer.shutdownNow();
    }

    /** A driver's job ends with it: the head tells the nodes, which free what they hold for it at once. */
    private void endJob()
    {
        final Connection c = headConnection;
        if (c == null || !c.isOpen())
        {
            return;  // the head learns it when the grace period after this driver's connection closed runs out
        }
        try
        {
            HeadProxy.jobEnd(c, member.jobId()).orTimeout(5, TimeUnit.SECONDS).join();
        }
        catch (RuntimeException headAway)
        {
            LOG.debug("cannot tell head {} that job {} ended: {}", headAddress, member.jobId(), headAway.getMessage());
        }
    }
}
