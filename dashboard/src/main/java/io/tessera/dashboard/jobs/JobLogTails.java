package io.tessera.dashboard.jobs;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.tessera.dashboard.api.Json;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Jobs' output as Server-Sent Events: the file from its start, one {@code data:} event per line,
 * then every line the driver adds, polled every {@value #POLL_MS} ms; once the job has ended and
 * its file is read to the end, an {@code end} event carrying the job as JSON, and the stream closes.
 */
public final class JobLogTails implements AutoCloseable
{
    static final long POLL_MS = 200;
    private static final int READ_MAX = 1 << 20;

    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r ->
    {
        final Thread t = new Thread(r, "tessera-job-logs");
        t.setDaemon(true);
        return t;
    });

    /** No stream open yet. */
    public JobLogTails()
    {
    }

    /**
     * Streams {@code file} to {@code channel}, whose event-stream headers are sent.
     *
     * @param channel the client's connection
     * @param file    the job's output file
     * @param job     the job as it is now (null once deleted)
     */
    public void open(Channel channel, Path file, Supplier<JobDetails> job)
    {
        final Tail t = new Tail(channel, file, job);
        t.future = poller.scheduleWithFixedDelay(t::poll, 0, POLL_MS, TimeUnit.MILLISECONDS);
        channel.closeFuture().addListener(f -> t.future.cancel(false));
    }

    /** One open stream. */
    private static final class Tail
    {
        private final Channel channel;
        private final Path file;
        private final Supplier<JobDetails> job;
        private long position;
        private volatile ScheduledFuture<?> future;

        Tail(Channel channel, Path file, Supplier<JobDetails> job)
        {
            this.channel = channel;
            this.file = file;
            this.job = job;
        }

        void poll()
        {
            if (!channel.isActive())
            {
                future.cancel(false);
                return;
            }
            // the state first: a job that ended before this read has all its output in the file
            final JobDetails now = job.get();
            final boolean ended = now == null || now.status().terminal();
            final boolean more = send(read(), ended);
            if (!more && ended)
            {
                final String end = "event: end\ndata: " + (now == null ? "null" : Json.text(now)) + "\n\n";
                channel.write(new DefaultHttpContent(Unpooled.copiedBuffer(end, StandardCharsets.UTF_8)));
                channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
                future.cancel(false);
            }
        }

        /** Sends the whole lines in {@code bytes} (all of them once {@code ended}); true when the read was cut at its limit. */
        private boolean send(byte[] bytes, boolean ended)
        {
            int consumed = bytes.length;
            while (!ended && consumed > 0 && bytes[consumed - 1] != '\n')
            {
                consumed--;
            }
            if (consumed == 0)
            {
                return bytes.length == READ_MAX;
            }
            position += consumed;
            final StringBuilder b = new StringBuilder();
            final int end = bytes[consumed - 1] == '\n' ? consumed - 1 : consumed;
            for (String line : new String(bytes, 0, end, StandardCharsets.UTF_8).split("\n", -1))
            {
                b.append("data: ").append(line.replace("\r", "")).append("\n\n");
            }
            channel.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(b, StandardCharsets.UTF_8)));
            return bytes.length == READ_MAX;
        }

        private byte[] read()
        {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ))
            {
                final long size = ch.size();
                if (size < position)
                {
                    position = 0;  // truncated: from its start again
                }
                final ByteBuffer buf = ByteBuffer.allocate((int) Math.min(READ_MAX, size - position));
                while (buf.hasRemaining() && ch.read(buf, position + buf.position()) > 0)
                {
                    // until full or at the end
                }
                final byte[] out = new byte[buf.position()];
                buf.flip().get(out);
                return out;
            }
            catch (IOException notThereYetOrGone)
            {
                return new byte[0];
            }
        }
    }

    @Override
    public void close()
    {
        poller.shutdownNow();
    }
}
