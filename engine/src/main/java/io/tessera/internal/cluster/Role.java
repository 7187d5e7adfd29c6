package io.tessera.internal.cluster;

/** What a process is in the cluster. */
public enum Role
{
    DRIVER, WORKER, HEAD
}
