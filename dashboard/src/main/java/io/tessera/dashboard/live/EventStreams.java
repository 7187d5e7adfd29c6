package io.tessera.dashboard.live;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open Server-Sent Event streams: each gets the last event at once, then every event
 * broadcast, until its client goes away or the server closes.
 */
public final class EventStreams implements AutoCloseable
{
    private final Set<Channel> open = ConcurrentHashMap.newKeySet();
    private volatile String last;

    /** No stream open yet. */
    public EventStreams()
    {
    }

    /**
     * Adds a stream whose headers are sent.
     *
     * @param channel the client's connection
     */
    public void open(Channel channel)
    {
        open.add(channel);
        channel.closeFuture().addListener(f -> open.remove(channel));
        final String l = last;
        if (l != null)
        {
            channel.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(l, StandardCharsets.UTF_8)));
        }
    }

    /**
     * Sends an event to every open stream.
     *
     * @param event the event's name
     * @param json  its data, one line of JSON
     */
    public void broadcast(String event, String json)
    {
        final String frame = text(event, json);
        last = frame;
        for (Channel c : open)
        {
            c.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(frame, StandardCharsets.UTF_8)));
        }
    }

    /**
     * How many streams are open.
     *
     * @return the count
     */
    public int size()
    {
        return open.size();
    }

    @Override
    public void close()
    {
        end(open);
    }

    private static String text(String event, String json)
    {
        return "event: " + event + "\ndata: " + json + "\n\n";
    }

    /**
     * One event, as a chunk of a stream.
     *
     * @param event the event's name
     * @param json  its data, one line of JSON
     * @return the chunk
     */
    static DefaultHttpContent frame(String event, String json)
    {
        return new DefaultHttpContent(Unpooled.copiedBuffer(text(event, json), StandardCharsets.UTF_8));
    }

    /** Ends every stream of {@code channels} and forgets them. */
    static void end(Set<Channel> channels)
    {
        for (Channel c : channels)
        {
            c.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(f -> c.close());
        }
        channels.clear();
    }
}
