package io.tessera.dashboard.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;

/**
 * Who may use the server: a request from a loopback address that names a loopback host (a
 * {@code Host} header of {@code localhost}, a loopback IP, or the address the server binds — so a
 * web page cannot reach it through DNS rebinding); any request carrying
 * {@code Authorization: Bearer <cluster token>}. Everything else gets 401 before any route runs.
 */
public final class Access
{
    private final String token;
    private final String boundHost;

    /**
     * The rule for a server bound to {@code boundHost} in a cluster with {@code token}.
     *
     * @param token     the cluster token
     * @param boundHost the host the server listens on
     */
    public Access(String token, String boundHost)
    {
        if (token == null || token.isEmpty())
        {
            throw new IllegalArgumentException("the dashboard needs the cluster token");
        }
        this.token = token;
        this.boundHost = boundHost;
    }

    /**
     * Decides one request.
     *
     * @param remote        the sender's address
     * @param hostHeader    the request's {@code Host} header (may be null)
     * @param authorization the request's {@code Authorization} header (may be null)
     * @return true when it may proceed
     */
    public boolean allows(InetSocketAddress remote, String hostHeader, String authorization)
    {
        if (hasToken(authorization))
        {
            return true;
        }
        final InetAddress a = remote == null ? null : remote.getAddress();
        return a != null && a.isLoopbackAddress() && namesLoopback(hostHeader);
    }

    private boolean hasToken(String authorization)
    {
        if (authorization == null || authorization.length() < 7
            || !authorization.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer "))
        {
            return false;
        }
        return MessageDigest.isEqual(authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8),
            token.getBytes(StandardCharsets.UTF_8));
    }

    private boolean namesLoopback(String hostHeader)
    {
        if (hostHeader == null)
        {
            return true;  // HTTP/1.0 without Host: not a browser
        }
        String h = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("["))
        {
            h = h.substring(1, Math.max(1, h.indexOf(']')));
        }
        else if (h.indexOf(':') == h.lastIndexOf(':') && h.indexOf(':') >= 0)
        {
            h = h.substring(0, h.indexOf(':'));
        }
        return h.equals("localhost") || h.equals(boundHost) || h.startsWith("127.") || h.equals("::1");
    }
}
