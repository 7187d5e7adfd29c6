package io.tessera.dashboard;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collections;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A request from a non-loopback address: the server listens on this machine's first non-loopback
 * IPv4 address and the client connects to it, so the server sees that address as the sender.
 * Skipped where the machine has none ({@link AccessTest} covers the decision itself).
 */
@Timeout(60)
class RemoteAccessTest
{
    private static final String TOKEN = "cluster-token-42";
    private final HttpClient client = HttpClient.newHttpClient();
    private final TestState state = new TestState();
    private Dashboard dashboard;
    private String host;

    @BeforeEach
    void start() throws SocketException
    {
        final Optional<InetAddress> address = nonLoopback();
        assumeTrue(address.isPresent(), "this machine has no non-loopback IPv4 address to listen on");
        host = address.get().getHostAddress();
        dashboard = Dashboard.start(state, new Dashboard.Settings(host, 0, TOKEN, null, 0, 10));
    }

    @AfterEach
    void stop()
    {
        if (dashboard != null)
        {
            dashboard.close();
        }
        client.close();
    }

    static Optional<InetAddress> nonLoopback() throws SocketException
    {
        for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces()))
        {
            if (n.isUp() && !n.isLoopback())
            {
                for (InetAddress a : Collections.list(n.getInetAddresses()))
                {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                    {
                        return Optional.of(a);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private HttpResponse<String> send(String method, String path, String authorization) throws Exception
    {
        final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + host + ":" + dashboard.address().getPort() + path))
            .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null)
        {
            b.header("Authorization", authorization);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldAnswer401AndTouchNothingWithoutTheToken() throws Exception
    {
        for (String path : new String[] {"/api/nodes", "/api/tasks?state=FAILED", "/api/summary/tasks", "/", "/api/events"})
        {
            final HttpResponse<String> r = send("GET", path, null);
            assertEquals(401, r.statusCode(), path);
            assertEquals("Bearer realm=\"tessera\"", r.headers().firstValue("www-authenticate").orElseThrow());
        }
        assertEquals(401, send("POST", "/api/jobs", null).statusCode());
        assertEquals(401, send("DELETE", "/api/tasks/t1", "Bearer not-the-token").statusCode());
        assertEquals(0, state.calls.get(), "a refused request reached the cluster state");
        assertEquals(0, dashboard.openStreams());
    }

    @Test
    void shouldServeWithTheToken() throws Exception
    {
        final HttpResponse<String> r = send("GET", "/api/nodes", "Bearer " + TOKEN);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(1, state.calls.get());
    }
}
