package io.tessera.dashboard.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The route table: method and path pattern to handler, first match wins. A pattern's segments are
 * literal, {@code {name}} (any one segment, passed as a path parameter) or a last {@code *} (the
 * rest of the path, passed as {@code *}). No match: 404; a path matched for other methods only: 405.
 */
public final class Router
{
    /** Answers one request. */
    @FunctionalInterface
    public interface Handler
    {
        /**
         * Answers {@code request}.
         *
         * @param request the request, with its path parameters
         * @return the response
         * @throws Exception turned into an error response by the server
         */
        Response handle(Request request) throws Exception;
    }

    private record Route(HttpMethod method, String[] segments, Handler handler)
    {
    }

    private final List<Route> routes = new ArrayList<>();

    /** An empty table. */
    public Router()
    {
    }

    /**
     * Adds a GET route.
     *
     * @param pattern e.g. {@code /api/tasks/{id}}
     * @param handler its handler
     * @return this router
     */
    public Router get(String pattern, Handler handler)
    {
        return add(HttpMethod.GET, pattern, handler);
    }

    /**
     * Adds a route.
     *
     * @param method  the method it answers
     * @param pattern e.g. {@code /api/tasks/{id}}
     * @param handler its handler
     * @return this router
     * @throws IllegalArgumentException when the pattern does not start with {@code /} or has {@code *} before its end
     */
    public Router add(HttpMethod method, String pattern, Handler handler)
    {
        final String[] segments = split(pattern);
        for (int i = 0; i < segments.length - 1; i++)
        {
            if (segments[i].equals("*"))
            {
                throw new IllegalArgumentException("'*' must be the last segment of " + pattern);
            }
        }
        if (!pattern.startsWith("/"))
        {
            throw new IllegalArgumentException("a route pattern starts with '/', got '" + pattern + "'");
        }
        routes.add(new Route(method, segments, handler));
        return this;
    }

    /**
     * Answers {@code request} with the first route that matches it.
     *
     * @param request the request (its path parameters are filled in here)
     * @return the route's response, 404 or 405
     * @throws Exception what the handler threw
     */
    public Response route(Request request) throws Exception
    {
        final String[] path = split(request.path());
        final Set<String> allowed = new LinkedHashSet<>();
        for (Route r : routes)
        {
            final Map<String, String> params = match(r.segments, path);
            if (params == null)
            {
                continue;
            }
            if (r.method.equals(request.method()))
            {
                return r.handler.handle(request.withPathParams(params));
            }
            allowed.add(r.method.name());
        }
        if (!allowed.isEmpty())
        {
            return Response.text(HttpResponseStatus.METHOD_NOT_ALLOWED, request.method() + " is not allowed on " + request.path())
                .with("Allow", String.join(", ", allowed));
        }
        return Response.text(HttpResponseStatus.NOT_FOUND, "no such page: " + request.path());
    }

    private static Map<String, String> match(String[] pattern, String[] path)
    {
        final Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < pattern.length; i++)
        {
            if (pattern[i].equals("*"))
            {
                params.put("*", String.join("/", java.util.Arrays.copyOfRange(path, i, path.length)));
                return params;
            }
            if (i >= path.length)
            {
                return null;
            }
            if (pattern[i].startsWith("{") && pattern[i].endsWith("}"))
            {
                params.put(pattern[i].substring(1, pattern[i].length() - 1), path[i]);
            }
            else if (!pattern[i].equals(path[i]))
            {
                return null;
            }
        }
        return pattern.length == path.length ? params : null;
    }

    private static String[] split(String path)
    {
        return java.util.Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toArray(String[]::new);
    }
}
