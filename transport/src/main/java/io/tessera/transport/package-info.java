/**
 * Tessera's inter-node wire: authenticated, framed Netty connections (io_uring, epoll or NIO),
 * request/reply for control messages and chunked, credit-controlled object pulls between stores.
 */
package io.tessera.transport;
