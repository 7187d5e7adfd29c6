package io.tessera.internal.cluster;

import io.tessera.internal.LocalRuntime;
import io.tessera.memory.ObjectId;
import io.tessera.memory.ObjectStore;
import io.tessera.transport.Connection;
import io.tessera.transport.PulledObject;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * What the parts of a member (its owner, node, borrows, placement, remote actors and holders) need from
 * it: this process, its connections to peers, the head's view of the nodes. {@link ClusterMember} is the
 * one implementation; the parts take it in their constructors and never name the member itself.
 */
interface MemberServices
{
    /** The local runtime this member extends to the cluster. */
    LocalRuntime runtime();

    Role role();

    /** This driver's job id; null on nodes and the head. */
    String jobId();

    /** The address this process announces to its peers (HOST:PORT). */
    String address();

    /** Job class paths cached on this host. */
    JobClasspath.Cache cache();

    /** One thread for recovery work (re-running lineage, restarting actors) off the transport's threads. */
    ExecutorService recovery();

    Connection headConnection();

    /** The nodes as the head last reported them. */
    List<NodeView> view();

    /** Asks the head for its view now, not at the next heartbeat. */
    void refreshViewNow();

    /** A connection to the peer at {@code peerAddress}, opened once and shared. */
    CompletableFuture<Connection> connect(String peerAddress);

    boolean isDead(String peerAddress);

    void markDead(String peerAddress);

    /** The store of node {@code nodeId} mapped into this process when it lives on this host, else null. */
    ObjectStore sharedStoreOf(String nodeId);

    /** Pulls an object into this process's store from its holders (concurrent pulls of one object coalesce). */
    CompletableFuture<PulledObject> pull(ObjectId id, List<String> holders);

    /** A job ended: what this process held for it is freed. */
    void jobGone(String job, String driverNodeId);

    /** This process's own records for the state API, the objects it holds for owners elsewhere with their jobs. */
    io.tessera.internal.NodeRecords localRecords();

    /** On the head, its job table for the state API; empty elsewhere. */
    List<io.tessera.state.JobInfo> jobTable();

    /** On the head, the connections of the drivers connected now; empty elsewhere. */
    List<Connection> driverConnections();
}
