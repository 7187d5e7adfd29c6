package io.tessera.internal.cluster;

import io.tessera.memory.ObjectId;
import io.tessera.memory.ObjectStore;
import io.tessera.transport.Connection;
import io.tessera.transport.ObjectTransfer;
import io.tessera.transport.PulledObject;
import io.tessera.transport.TransportServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A member's links to the other members: one shared connection per peer address, the addresses known
 * dead, the pulls in progress into this process's store (concurrent readers of one object share one
 * transfer) and the stores of same-host nodes mapped here.
 */
final class PeerLinks
{
    private static final Logger LOG = LoggerFactory.getLogger(PeerLinks.class);

    private final TransportServer server;
    private final PeerRoles roles;
    private final String declaredRole;
    private final ObjectStore store;
    private final String host;
    private final Map<String, CompletableFuture<Connection>> peers = new ConcurrentHashMap<>();
    private final Set<String> deadAddresses = ConcurrentHashMap.newKeySet();
    private final Map<ObjectId, CompletableFuture<PulledObject>> pulls = new ConcurrentHashMap<>();
    private final Map<String, ObjectStore> attachedStores = new ConcurrentHashMap<>();

    PeerLinks(TransportServer server, PeerRoles roles, String declaredRole, ObjectStore store, String host)
    {
        this.server = server;
        this.roles = roles;
        this.declaredRole = declaredRole;
        this.store = store;
        this.host = host;
    }

    /** A connection to {@code peerAddress}, opened once and shared; the peer is told this member's role. */
    CompletableFuture<Connection> connect(String peerAddress)
    {
        final CompletableFuture<Connection> existing = peers.get(peerAddress);
        if (existing != null && (!existing.isDone() || (!existing.isCompletedExceptionally() && existing.join().isOpen())))
        {
            return existing;
        }
        final CompletableFuture<Connection> f = server.connectAsync(Advertise.hostOf(peerAddress), Advertise.portOf(peerAddress))
            .thenApply(c ->
            {
                roles.opened(c);
                OwnerProxy.role(c, declaredRole);
                return c;
            });
        peers.put(peerAddress, f);
        return f;
    }

    /** Forgets the connection to {@code peerAddress} without closing it (the next {@link #connect} dials again). */
    void forget(String peerAddress)
    {
        peers.remove(peerAddress);
    }

    boolean isDead(String peerAddress)
    {
        return deadAddresses.contains(peerAddress);
    }

    /** A live node has {@code peerAddress} again (a restarted node or head may reuse its old address). */
    void revive(String peerAddress)
    {
        deadAddresses.remove(peerAddress);
    }

    /**
     * Marks {@code peerAddress} dead and forgets its connection, closing it when {@code close} (requests still
     * waiting on the dead node then fail now instead of waiting for a reply that never comes).
     *
     * @return true when it was not known dead before
     */
    boolean markDead(String peerAddress, boolean close)
    {
        if (!deadAddresses.add(peerAddress))
        {
            return false;
        }
        final CompletableFuture<Connection> c = peers.remove(peerAddress);
        if (c != null && close)
        {
            c.thenAccept(Connection::close);
        }
        return true;
    }

    /**
     * The store of node {@code nodeId} mapped into this process when it lives on this host, else null.
     * Attached once per store file; the node's store records this process as a client, so a crash
     * here leaves no pins behind there.
     */
    ObjectStore sharedStoreOf(String nodeId, List<NodeView> view)
    {
        for (NodeView n : view)
        {
            if (n.nodeId().equals(nodeId) && n.alive() && n.host().equals(host) && Files.exists(Path.of(n.storePath())))
            {
                try
                {
                    return attachedStores.computeIfAbsent(n.storePath(), p -> ObjectStore.attach(Path.of(p)));
                }
                catch (RuntimeException notMappable)
                {
                    LOG.debug("cannot attach the store of node {} at {}: {}", nodeId, n.storePath(), notMappable.getMessage());
                    return null;
                }
            }
        }
        return null;
    }

    /**
     * Pulls an object into this process's store from its holders at once (the transport splits large
     * objects across them). Concurrent pulls of the same object coalesce into one transfer; an object
     * already here completes at once ({@link PulledObject#holders()} 0).
     */
    CompletableFuture<PulledObject> pull(ObjectId id, List<String> holders)
    {
        final CompletableFuture<PulledObject> mine = new CompletableFuture<>();
        final CompletableFuture<PulledObject> running = pulls.putIfAbsent(id, mine);
        if (running != null)
        {
            return running;
        }
        final List<CompletableFuture<Connection>> conns = new ArrayList<>();
        for (String h : holders)
        {
            conns.add(connect(h));
        }
        CompletableFuture.allOf(conns.toArray(CompletableFuture[]::new)).thenCompose(x ->
        {
            final List<Connection> cs = new ArrayList<>();
            for (CompletableFuture<Connection> f : conns)
            {
                cs.add(f.join());
            }
            return ObjectTransfer.pull(store, id, cs);
        }).whenComplete((pulled, error) ->
        {
            pulls.remove(id, mine);
            if (error != null)
            {
                mine.completeExceptionally(error);
            }
            else
            {
                mine.complete(pulled);
            }
        });
        return mine;
    }

    /** Unmaps the stores of same-host nodes. */
    void close()
    {
        attachedStores.values().forEach(ObjectStore::close);
    }
}
