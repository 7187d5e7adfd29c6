package io.tessera.nativetests.cluster;

import io.tessera.internal.cluster.ClusterClient;
import io.tessera.internal.cluster.ClusterMember;
import io.tessera.transport.Connection;
import io.tessera.transport.TransportClient;
import io.tessera.transport.TransportContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A token holder may only send what its declared role allows: a status client or a driver cannot register or kill nodes. */
@Timeout(120)
class ClusterRolesTest
{
    private static final int REGISTER = 100;
    private static final int HEARTBEAT = 101;
    private static final int STATUS = 103;
    private static final int NODE_DEAD = 108;

    private ClusterFixture cluster;

    @AfterEach
    void tearDown() throws Exception
    {
        if (cluster != null)
        {
            cluster.close();
        }
    }

    /** A REGISTER body as a node writes it: nodeId, address, host, store path, no amounts. */
    private static byte[] register(String nodeId) throws IOException
    {
        final ByteArrayOutputStream b = new ByteArrayOutputStream();
        final DataOutputStream out = new DataOutputStream(b);
        for (String s : new String[] {nodeId, "127.0.0.1:1", "127.0.0.1", "/nonexistent"})
        {
            out.writeBoolean(true);
            out.writeUTF(s);
        }
        out.writeInt(0);
        return b.toByteArray();
    }

    private static byte[] strings(String... values) throws IOException
    {
        final ByteArrayOutputStream b = new ByteArrayOutputStream();
        final DataOutputStream out = new DataOutputStream(b);
        for (String s : values)
        {
            out.writeBoolean(true);
            out.writeUTF(s);
        }
        return b.toByteArray();
    }

    private Connection connect(String address, String role)
    {
        final TransportContext ctx = new TransportContext().token(ClusterFixture.TOKEN).nodeId("peer-" + role);
        final Connection c = TransportClient.connect(ctx, address.substring(0, address.lastIndexOf(':')),
            Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)));
        if (role != null)
        {
            ClusterMember.declareRole(c, role);
        }
        return c;
    }

    private static void assertRefused(Connection c, int type, byte[] body)
    {
        final ExecutionException e = assertThrows(ExecutionException.class, () -> c.request(type, body).get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("refused"), e.getCause().toString());
    }

    @Test
    void shouldRefuseNodeMessagesFromStatusClientsAndDrivers() throws Exception
    {
        cluster = new ClusterFixture("roles");
        cluster.startHead(0, "--cpus", "1");
        cluster.startWorker("w", "--cpus", "1");
        final String head = cluster.headAddress();
        try (Connection status = connect(head, "status"); Connection driver = connect(head, "driver");
             Connection silent = connect(head, null))
        {
            assertRefused(status, REGISTER, register("fake-from-status"));
            assertRefused(driver, REGISTER, register("fake-from-driver"));
            assertRefused(silent, STATUS, new byte[0]);
            status.send(HEARTBEAT, strings("fake-from-status"));
            // a status client may read
            assertTrue(new String(status.request(STATUS, new byte[0]).get(10, TimeUnit.SECONDS)).contains("nodes: 2 alive"));
        }
        // NODE_DEAD is the head's word: a peer cannot make the worker give up the head's own node
        final String headNodeLine = ClusterClient.status(head, ClusterFixture.TOKEN);
        try (Connection node = connect(cluster.address("w"), "node"))
        {
            node.send(NODE_DEAD, strings("any", head));
            ClusterLifeTest.eventually(() -> ClusterClient.nodeStats(cluster.address("w"), ClusterFixture.TOKEN, false)
                .get("refusedMessages") >= 1, 10_000);
        }
        final String after = ClusterClient.status(head, ClusterFixture.TOKEN);
        assertTrue(after.startsWith("nodes: 2 alive, 0 dead"), "no node was registered or declared dead by them:\n" + after);
        assertTrue(!after.contains("fake-from"), after);
        assertEquals(1, ClusterClient.nodeStats(cluster.address("w"), ClusterFixture.TOKEN, false).get("refusedMessages"),
            headNodeLine);
    }

    @Test
    void shouldAnnounceTheAdvertisedAddressNotTheWildcard() throws Exception
    {
        cluster = new ClusterFixture("advertise");
        cluster.startHead(0, "--cpus", "1", "--host", "0.0.0.0", "--advertise-address", "127.0.0.1");
        assertTrue(cluster.headAddress().startsWith("127.0.0.1:"), cluster.headAddress());
        cluster.startWorker("w", "--cpus", "1");
        final String status = ClusterClient.status(cluster.headAddress(), ClusterFixture.TOKEN);
        assertTrue(status.startsWith("nodes: 2 alive") && !status.contains("0.0.0.0"), status);
    }
}
