package io.tessera.dashboard.http;

import io.netty.handler.codec.http.HttpResponseStatus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dashboard's pages and assets, from class-path resources under one directory ({@code /} is
 * {@code index.html}). Paths with {@code ..} or a backslash are refused.
 */
public final class StaticFiles implements Router.Handler
{
    private static final Map<String, String> TYPES = Map.of(
        "html", "text/html; charset=utf-8",
        "js", "text/javascript; charset=utf-8",
        "css", "text/css; charset=utf-8",
        "json", "application/json",
        "svg", "image/svg+xml",
        "png", "image/png",
        "txt", "text/plain; charset=utf-8");
    /** Pages load only this server's scripts and styles; uPlot sets styles from script. */
    private static final String CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:";

    private final String root;
    private final Map<String, Response.Full> cache = new ConcurrentHashMap<>();

    /**
     * Serves the resources under {@code root}.
     *
     * @param root a class-path directory, e.g. {@code web}
     */
    public StaticFiles(String root)
    {
        this.root = root;
    }

    @Override
    public Response handle(Request request)
    {
        String rest = request.pathParam("*");
        if (rest == null || rest.isEmpty())
        {
            rest = "index.html";
        }
        if (rest.contains("..") || rest.contains("\\"))
        {
            return Response.text(HttpResponseStatus.BAD_REQUEST, "bad path " + request.path());
        }
        final String name = rest;
        final Response.Full found = cache.computeIfAbsent(name, this::load);
        return found != null ? found : Response.text(HttpResponseStatus.NOT_FOUND, "no such page: " + request.path());
    }

    private Response.Full load(String name)
    {
        try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(root + "/" + name))
        {
            if (in == null)
            {
                return null;
            }
            final String ext = name.substring(name.lastIndexOf('.') + 1);
            final Response.Full r = new Response.Full(HttpResponseStatus.OK, TYPES.getOrDefault(ext, "application/octet-stream"),
                in.readAllBytes(), Map.of());
            return ext.equals("html") ? r.with("Content-Security-Policy", CSP) : r;
        }
        catch (IOException ex)
        {
            throw new UncheckedIOException("cannot read " + root + "/" + name, ex);
        }
    }
}
