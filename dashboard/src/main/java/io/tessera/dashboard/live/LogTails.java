package io.tessera.dashboard.live;

import io.netty.channel.Channel;
import io.tessera.internal.cluster.LogLines;
import io.tessera.internal.cluster.LogQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Live tails of logs as Server-Sent Events ({@code event: lines}, data: a JSON array of lines): each open
 * stream gets the lines read when it opened, then, every poll period, the lines written since (the head's
 * logs API asked again from where the last answer ended), until its client goes away or the server closes.
 */
public final class LogTails implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(LogTails.class);

    private final Function<Object, String> json;
    private final long pollMs;
    private final Set<Channel> open = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r ->
    {
        final Thread t = new Thread(r, "tessera-dashboard-log-tails");
        t.setDaemon(true);
        return t;
    });

    /**
     * No tail open yet.
     *
     * @param json   writes a value as one line of JSON
     * @param pollMs how often each stream asks for new lines
     */
    public LogTails(Function<Object, String> json, long pollMs)
    {
        this.json = json;
        this.pollMs = pollMs;
    }

    /**
     * Starts following {@code query} on a stream whose headers are sent, {@code first} (what the query
     * answered when the request came) sent at once.
     *
     * @param channel the client's connection
     * @param logs    the head's logs API, asked every poll period
     * @param query   what it follows
     * @param first   the lines already read for it
     */
    public void follow(Channel channel, Function<LogQuery, LogLines> logs, LogQuery query, LogLines first)
    {
        open.add(channel);
        send(channel, first);
        final Map<String, Long> positions = new HashMap<>(first.positions());
        final ScheduledFuture<?> polling = poller.scheduleWithFixedDelay(() ->
        {
            try
            {
                final LogLines more = logs.apply(query.after(positions));
                positions.putAll(more.positions());
                send(channel, more);
            }
            catch (RuntimeException ex)
            {
                LOG.debug("log tail {} failed: {}", query, ex.toString());
                channel.writeAndFlush(EventStreams.frame("failed", json.apply(String.valueOf(ex.getMessage()))));
            }
        }, pollMs, pollMs, TimeUnit.MILLISECONDS);
        channel.closeFuture().addListener(f ->
        {
            polling.cancel(false);
            open.remove(channel);
        });
    }

    private void send(Channel channel, LogLines lines)
    {
        if (!lines.lines().isEmpty())
        {
            channel.writeAndFlush(EventStreams.frame("lines", json.apply(lines.lines())));
        }
    }

    /**
     * How many tails are open.
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
        poller.shutdownNow();
        EventStreams.end(open);
    }
}
