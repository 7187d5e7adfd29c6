/**
 * A small HTTP server on Netty's HTTP codec: a route table, the access rule (loopback, or the
 * cluster token), static files and Server-Sent Event streams.
 */
package io.tessera.dashboard.http;
