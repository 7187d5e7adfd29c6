package io.tessera.dashboard.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * One HTTP request, copied out of Netty's buffers (handlers run off the event loop).
 *
 * @param method     the method
 * @param path       the decoded path, e.g. {@code /api/tasks/abc}
 * @param pathParams values of the route's {@code {name}} segments
 * @param query      the decoded query parameters
 * @param headers    the request headers
 * @param remote     who sent it
 * @param body       the request body (empty for none)
 */
public record Request(HttpMethod method, String path, Map<String, String> pathParams, Map<String, List<String>> query,
                      HttpHeaders headers, InetSocketAddress remote, byte[] body)
{
    /**
     * The first value of query parameter {@code name}.
     *
     * @param name the parameter
     * @return its value, or null when absent
     */
    public String param(String name)
    {
        final List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.getFirst();
    }

    /**
     * The value of the route's {@code {name}} segment.
     *
     * @param name the segment's name
     * @return its value
     */
    public String pathParam(String name)
    {
        return pathParams.get(name);
    }

    Request withPathParams(Map<String, String> params)
    {
        return new Request(method, path, params, query, headers, remote, body);
    }
}
