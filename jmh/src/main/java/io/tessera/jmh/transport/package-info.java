/**
 * Transport benchmarks between two JVMs over loopback: object pull bandwidth and request/reply
 * latency, each beside a raw Netty baseline on the same transport kind, measured in the same run.
 */
package io.tessera.jmh.transport;
