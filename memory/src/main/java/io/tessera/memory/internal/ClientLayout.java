package io.tessera.memory.internal;

/**
 * One slot of the client table: a process (store instance) attached to the store.
 * <pre>
 *   0          8                    16
 *   +----------+--------------------+------------------------------+
 *   | pid      | start (epoch ms)   | reserved (to 64 B)           |
 *   +----------+--------------------+------------------------------+
 * </pre>
 * A slot is claimed by CAS of pid from 0; the start time tells a live process from a reused pid.
 */
public final class ClientLayout
{
    public static final int LENGTH = 64;
    public static final long PID_OFFSET = 0;
    public static final long START_OFFSET = 8;

    private ClientLayout()
    {
    }
}
