/**
 * Tessera's transport: framed request/reply connections over Netty (NIO, epoll, io_uring; optional TLS) and
 * zero-copy object transfer between stores. Its API names the store's and Netty's buffer and channel types, so
 * those modules are required transitively. The native transports' jars ({@code io.netty.transport.epoll.linux.x86_64},
 * {@code io.netty.transport.io_uring.linux.x86_64}) hold only the JNI libraries: on the module path add them with
 * {@code --add-modules} for epoll or io_uring (without them those transports report themselves unavailable).
 */
module io.tessera.transport
{
    requires transitive io.tessera.memory;
    requires transitive io.netty.buffer;
    requires transitive io.netty.common;
    requires transitive io.netty.transport;
    requires transitive io.netty.handler;
    requires io.netty.transport.classes.epoll;
    requires io.netty.transport.classes.io_uring;
    requires io.netty.transport.unix.common;
    requires org.slf4j;

    exports io.tessera.transport;
}
