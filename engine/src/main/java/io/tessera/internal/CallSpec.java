package io.tessera.internal;

import java.util.Map;

/**
 * Per-call options as the public option classes collected them; NaN / -1 / null mean "unset"
 * (fall back to the annotation, then to the defaults).
 */
public final class CallSpec
{
    public double cpus = Double.NaN;
    public double gpus = Double.NaN;
    public long memoryBytes = -1;
    public Map<String, Double> custom = Map.of();
    public int maxRetries = -1;
    public boolean retryExceptions;
    public String name;
    public int maxRestarts;
    /** The name the state API shows for an actor named in the head's table (not registered on the node). */
    public String label;
    /** The job the call runs for, set by the node that received it from its owner (null: this node's own). */
    public String jobId;
    /** The namespace of a named actor (null: the creating job's). */
    public String namespace;
    /** A detached actor outlives the job that created it (see {@link io.tessera.ActorLifetime}). */
    public boolean detached;
}
