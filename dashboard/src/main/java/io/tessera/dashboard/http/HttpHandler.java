package io.tessera.dashboard.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * One connection's requests: the access rule first (401 and nothing else runs), then the route, on
 * a handler thread; a route's {@link IllegalArgumentException} is a 400, its
 * {@link UnsupportedOperationException} a 501, anything else a 500.
 */
final class HttpHandler extends SimpleChannelInboundHandler<FullHttpRequest>
{
    private static final Logger LOG = LoggerFactory.getLogger(HttpHandler.class);

    private final Router router;
    private final Access access;
    private final ExecutorService handlers;

    HttpHandler(Router router, Access access, ExecutorService handlers)
    {
        this.router = router;
        this.access = access;
        this.handlers = handlers;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg)
    {
        final boolean keepAlive = HttpUtil.isKeepAlive(msg);
        if (!msg.decoderResult().isSuccess())
        {
            write(ctx, Response.text(HttpResponseStatus.BAD_REQUEST, "malformed request"), false);
            return;
        }
        final InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        if (!access.allows(remote, msg.headers().get(HttpHeaderNames.HOST), msg.headers().get(HttpHeaderNames.AUTHORIZATION)))
        {
            write(ctx, Response.text(HttpResponseStatus.UNAUTHORIZED, "from " + remote.getAddress().getHostAddress()
                + " this server needs 'Authorization: Bearer <cluster token>'")
                .with("WWW-Authenticate", "Bearer realm=\"tessera\""), keepAlive);
            return;
        }
        final QueryStringDecoder uri = new QueryStringDecoder(msg.uri());
        final Request request = new Request(msg.method(), uri.path(), Map.of(), uri.parameters(), msg.headers().copy(), remote,
            ByteBufUtil.getBytes(msg.content()));
        try
        {
            handlers.execute(() -> write(ctx, answer(request), keepAlive));
        }
        catch (RejectedExecutionException closing)
        {
            write(ctx, Response.text(HttpResponseStatus.SERVICE_UNAVAILABLE, "the server is stopping"), false);
        }
    }

    private Response answer(Request request)
    {
        try
        {
            return router.route(request);
        }
        catch (IllegalArgumentException ex)
        {
            return Response.text(HttpResponseStatus.BAD_REQUEST, ex.getMessage());
        }
        catch (UnsupportedOperationException ex)
        {
            return Response.text(HttpResponseStatus.NOT_IMPLEMENTED, ex.getMessage());
        }
        catch (Exception ex)
        {
            LOG.warn("GET " + request.path() + " failed", ex);
            return Response.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, request.path() + " failed: " + ex);
        }
    }

    private static void write(ChannelHandlerContext ctx, Response response, boolean keepAlive)
    {
        switch (response)
        {
            case Response.Full f ->
            {
                final FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, f.status(), Unpooled.wrappedBuffer(f.body()));
                r.headers().set(HttpHeaderNames.CONTENT_TYPE, f.contentType())
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, f.body().length)
                    .set("X-Content-Type-Options", "nosniff");
                f.headers().forEach((k, v) -> r.headers().set(k, v));
                HttpUtil.setKeepAlive(r, keepAlive);
                final var done = ctx.writeAndFlush(r);
                if (!keepAlive)
                {
                    done.addListener(ChannelFutureListener.CLOSE);
                }
            }
            case Response.EventStream s ->
            {
                final DefaultHttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                    .set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
                HttpUtil.setTransferEncodingChunked(r, true);
                ctx.writeAndFlush(r);
                s.opened().accept(ctx.channel());
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause)
    {
        LOG.debug("connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
