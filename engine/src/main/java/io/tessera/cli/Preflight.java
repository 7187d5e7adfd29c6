package io.tessera.cli;

import io.tessera.internal.cluster.ClusterHome;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;

/**
 * Checks made before a command acts, so that what a user can fix is told in one sentence before
 * anything starts: a port already taken, a head that is not there, a missing cluster token.
 */
final class Preflight
{
    private static final int CONNECT_TIMEOUT_MS = 2_000;

    private Preflight()
    {
    }

    /**
     * Fails unless this process could listen on {@code host:port} now (port 0: any port, always fine).
     *
     * @throws CliFailure naming the port and what to do
     */
    static void requirePortFree(String host, int port)
    {
        if (port == 0)
        {
            return;
        }
        try (ServerSocket s = new ServerSocket())
        {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(host, port));
        }
        catch (BindException ex)
        {
            if (String.valueOf(ex.getMessage()).contains("in use"))
            {
                throw CliFailure.runtime("port " + port + " on " + host + " is already in use: give another --port,"
                    + " or stop what holds it (tessera stop stops the nodes you started on this host)");
            }
            throw CliFailure.runtime("cannot listen on " + host + ":" + port + " (" + ex.getMessage()
                + "): give --host an address of this machine and --port a free port");
        }
        catch (UnknownHostException ex)
        {
            throw CliFailure.runtime("unknown host '" + host + "': give --host an address of this machine");
        }
        catch (IOException | IllegalArgumentException ex)
        {
            throw CliFailure.runtime("cannot listen on " + host + ":" + port + " (" + ex.getMessage()
                + "): give --host an address of this machine and --port a free port");
        }
    }

    /** Whether something accepts TCP connections at {@code address} (a plain connect, closed at once). */
    static boolean reachable(HostPort address)
    {
        try (Socket s = new Socket())
        {
            s.connect(new InetSocketAddress(address.host(), address.port()), CONNECT_TIMEOUT_MS);
            return true;
        }
        catch (IOException | IllegalArgumentException ex)
        {
            return false;
        }
    }

    /**
     * Fails unless a head may be listening at {@code address}.
     *
     * @param recordedIn where the address came from when the user did not give it, or null
     * @throws CliFailure naming the address and what to do
     */
    static void requireReachable(HostPort address, String recordedIn)
    {
        if (!reachable(address))
        {
            throw CliFailure.runtime("cannot reach " + address + (recordedIn == null ? "" : " (from " + recordedIn + ")")
                + ": start a head with 'tessera start --head', or give --address HOST:PORT of a running one");
        }
    }

    /**
     * The cluster token for the head at {@code address}: {@code TESSERA_TOKEN}, else the one its user's
     * head wrote on this host.
     *
     * @throws CliFailure when there is none, naming where it would be
     */
    static String requireToken(HostPort address)
    {
        final String env = System.getenv("TESSERA_TOKEN");
        if (env != null && !env.isBlank())
        {
            return env.trim();
        }
        final ClusterHome home = ClusterHome.resolve();
        final String token = home.readToken(address.port());
        if (token == null)
        {
            throw CliFailure.runtime("no cluster token for " + address + " here: set TESSERA_TOKEN to the token in "
                + home.tokenFile(address.port()) + " on the head's host");
        }
        return token;
    }
}
