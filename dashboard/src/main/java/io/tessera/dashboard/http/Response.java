package io.tessera.dashboard.http;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;

/** What a route answers: a whole response, or an event stream that stays open. */
public sealed interface Response
{
    /**
     * A complete response.
     *
     * @param status      the status
     * @param contentType its content type
     * @param body        its body
     * @param headers     extra headers
     */
    record Full(HttpResponseStatus status, String contentType, byte[] body, Map<String, String> headers) implements Response
    {
        /**
         * The same response with one more header.
         *
         * @param name  the header
         * @param value its value
         * @return a new response
         */
        public Full with(String name, String value)
        {
            final Map<String, String> h = new java.util.LinkedHashMap<>(headers);
            h.put(name, value);
            return new Full(status, contentType, body, Map.copyOf(h));
        }
    }

    /**
     * A {@code text/event-stream} response: the server sends the headers, then hands the channel
     * to {@code opened}, which writes events to it for as long as it stays open.
     *
     * @param opened takes the channel once the headers are sent
     */
    record EventStream(Consumer<Channel> opened) implements Response
    {
    }

    /**
     * A plain-text response.
     *
     * @param status  the status
     * @param message the text
     * @return the response
     */
    static Full text(HttpResponseStatus status, String message)
    {
        return new Full(status, "text/plain; charset=utf-8", (message + "\n").getBytes(StandardCharsets.UTF_8), Map.of());
    }
}
