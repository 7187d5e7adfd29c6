package io.tessera.dashboard.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tessera.dashboard.http.Response;

import java.util.Map;

/** JSON through one shared Jackson mapper (records serialise as they are). */
public final class Json
{
    private static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Json()
    {
    }

    /**
     * {@code value} as JSON bytes.
     *
     * @param value a record, list, map or scalar
     * @return UTF-8 JSON
     */
    public static byte[] bytes(Object value)
    {
        try
        {
            return MAPPER.writeValueAsBytes(value);
        }
        catch (JsonProcessingException ex)
        {
            throw new IllegalStateException("cannot write " + value.getClass().getName() + " as JSON: " + ex.getMessage(), ex);
        }
    }

    /**
     * {@code value} as a JSON string.
     *
     * @param value a record, list, map or scalar
     * @return the JSON text
     */
    public static String text(Object value)
    {
        return new String(bytes(value), java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * A 200 response with {@code value} as JSON, not cached.
     *
     * @param value a record, list, map or scalar
     * @return the response
     */
    public static Response.Full ok(Object value)
    {
        return new Response.Full(HttpResponseStatus.OK, "application/json", bytes(value), Map.of("Cache-Control", "no-store"));
    }

    /**
     * An error as {@code {"error": message}}.
     *
     * @param status  the status
     * @param message what went wrong
     * @return the response
     */
    public static Response.Full error(HttpResponseStatus status, String message)
    {
        return new Response.Full(status, "application/json", bytes(Map.of("error", message)), Map.of("Cache-Control", "no-store"));
    }
}
