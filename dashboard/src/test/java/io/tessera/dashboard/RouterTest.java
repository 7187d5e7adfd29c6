package io.tessera.dashboard;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tessera.dashboard.http.Request;
import io.tessera.dashboard.http.Response;
import io.tessera.dashboard.http.Router;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RouterTest
{
    private static Response.Full echo(String what)
    {
        return new Response.Full(HttpResponseStatus.OK, "text/plain", what.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private final Router router = new Router()
        .get("/api/tasks", r -> echo("list"))
        .get("/api/tasks/{id}", r -> echo("task " + r.pathParam("id")))
        .add(HttpMethod.DELETE, "/api/tasks/{id}", r -> echo("deleted " + r.pathParam("id")))
        .get("/*", r -> echo("file " + r.pathParam("*")));

    private Response.Full route(HttpMethod m, String path) throws Exception
    {
        return (Response.Full) router.route(new Request(m, path, Map.of(), Map.of(), new DefaultHttpHeaders(), null, new byte[0]));
    }

    private static String body(Response.Full r)
    {
        return new String(r.body(), StandardCharsets.UTF_8).trim();
    }

    @Test
    void shouldMatchLiteralsParametersAndTheRestInOrder() throws Exception
    {
        assertEquals("list", body(route(HttpMethod.GET, "/api/tasks")));
        assertEquals("task t-1", body(route(HttpMethod.GET, "/api/tasks/t-1")));
        assertEquals("deleted t-1", body(route(HttpMethod.DELETE, "/api/tasks/t-1")));
        assertEquals("file vendor/uplot/LICENSE", body(route(HttpMethod.GET, "/vendor/uplot/LICENSE")));
        assertEquals("file", body(route(HttpMethod.GET, "/")), "/ is the rest, empty");
    }

    @Test
    void shouldAnswer405WithAllowForAKnownPathAnd404Otherwise() throws Exception
    {
        final Response.Full r = route(HttpMethod.POST, "/api/tasks/t-1");
        assertEquals(HttpResponseStatus.METHOD_NOT_ALLOWED, r.status());
        assertEquals("GET, DELETE", r.headers().get("Allow"));
        final Router apiOnly = new Router().get("/api/nodes", x -> echo("nodes"));
        final Response.Full missing = (Response.Full) apiOnly.route(new Request(HttpMethod.GET, "/api/nodes/extra", Map.of(), Map.of(),
            new DefaultHttpHeaders(), null, new byte[0]));
        assertEquals(HttpResponseStatus.NOT_FOUND, missing.status());
    }

    @Test
    void shouldRejectMalformedPatterns()
    {
        assertThrows(IllegalArgumentException.class, () -> new Router().get("/a/*/b", r -> echo("x")));
        assertThrows(IllegalArgumentException.class, () -> new Router().get("api", r -> echo("x")));
    }
}
