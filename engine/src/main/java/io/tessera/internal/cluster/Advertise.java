package io.tessera.internal.cluster;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The address a node announces to the others: the one given ({@code --advertise-address}), else the
 * bind host, except that a wildcard bind (0.0.0.0, ::) announces this machine's address, never the
 * wildcard (which no peer can dial).
 */
final class Advertise
{
    private static final Logger LOG = LoggerFactory.getLogger(Advertise.class);

    private Advertise()
    {
    }

    static String host(String bindHost, String advertiseHost)
    {
        if (advertiseHost != null && !advertiseHost.isBlank())
        {
            final String h = advertiseHost.trim();
            final int colon = h.lastIndexOf(':');
            // HOST or HOST:PORT (the port is the one bound; an IPv6 literal keeps its colons)
            return colon > 0 && h.indexOf(':') == colon ? h.substring(0, colon) : h;
        }
        if (isWildcard(bindHost))
        {
            try
            {
                final String local = InetAddress.getLocalHost().getHostAddress();
                LOG.info("listening on {}: announcing {} to the cluster (--advertise-address overrides)",
                    bindHost, local);
                return local;
            }
            catch (UnknownHostException ex)
            {
                LOG.warn("listening on {} and this host has no resolvable address: announcing "
                    + "127.0.0.1; give --advertise-address", bindHost);
                return "127.0.0.1";
            }
        }
        return bindHost;
    }

    static boolean isWildcard(String host)
    {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") || host.equals("0:0:0:0:0:0:0:0");
    }

    /** A node reachable from other machines without TLS sends its traffic in plain text: say so once. */
    static void warnIfExposed(String bindHost)
    {
        boolean loopback;
        try
        {
            loopback = !isWildcard(bindHost) && InetAddress.getByName(bindHost).isLoopbackAddress();
        }
        catch (UnknownHostException ex)
        {
            loopback = false;
        }
        if (!loopback && ClusterTls.enabled())
        {
            LOG.info("listening on {} with mutual TLS (tessera.tls.*)", bindHost);
        }
        else if (!loopback)
        {
            LOG.warn("listening on {}, reachable from other machines, without TLS: the cluster "
                + "token proves membership but traffic is plain text; keep the cluster on a trusted network or a tunnel", bindHost);
        }
    }

    static String hostOf(String address)
    {
        final int i = address.lastIndexOf(':');
        if (i <= 0)
        {
            throw new IllegalArgumentException("address must be HOST:PORT, got '" + address + "'");
        }
        return address.substring(0, i);
    }

    static int portOf(String address)
    {
        final int i = address.lastIndexOf(':');
        try
        {
            return Integer.parseInt(address.substring(i + 1));
        }
        catch (NumberFormatException | IndexOutOfBoundsException ex)
        {
            throw new IllegalArgumentException("address must be HOST:PORT, got '" + address + "'");
        }
    }
}
