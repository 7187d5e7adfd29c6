/**
 * Cluster suites: a driver (the benchmark JVM) and node JVMs on 127.0.0.1, beside the same
 * transport's bare request/reply to a peer JVM measured in the same run.
 */
package io.tessera.jmh.cluster;
