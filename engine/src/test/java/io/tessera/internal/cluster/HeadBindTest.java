package io.tessera.internal.cluster;

import io.tessera.TesseraConfig;
import io.tessera.Tessera;
import io.tessera.internal.LocalRuntime;
import io.tessera.internal.launch.NodeLauncher;
import io.tessera.transport.TransportException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A head whose port is taken between the command line's check and its own bind (another process won the
 * race): starting fails on the bind with a TransportException naming it (the bind's own IOException, which
 * Netty throws undeclared, used to escape as is), which NodeMain turns into its one-line port message.
 */
@Timeout(60)
class HeadBindTest
{
    @AfterEach
    void tearDown()
    {
        Tessera.shutdown();
        System.clearProperty("tessera.home");
    }

    @Test
    void shouldFailOnATakenPortWithATransportExceptionNamingIt() throws Exception
    {
        final Path home = Files.createTempDirectory("tessera-home-bind");
        System.setProperty("tessera.home", home.toString());
        final LocalRuntime runtime = (LocalRuntime) NodeLauncher.start(TesseraConfig.builder().cpus(1).objectStoreBytes(16 << 20).build());
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress()))
        {
            final int port = taken.getLocalPort();
            final TransportException e = assertThrows(TransportException.class,
                () -> ClusterMember.startNode(runtime, "127.0.0.1", port, null, "token-0123456789abcdef", 1000));
            Throwable root = e;
            while (root.getCause() != null)
            {
                root = root.getCause();
            }
            // what NodeMain turns into "port N on HOST is already in use: give another --port, ..."
            assertTrue(String.valueOf(root.getMessage()).contains("Address already in use"), root.toString());
            assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
        }
    }
}
