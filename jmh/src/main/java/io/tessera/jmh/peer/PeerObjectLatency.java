package io.tessera.jmh.peer;

import io.tessera.ObjectRef;
import io.tessera.Tessera;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Put and get of a {@code byte[]} value of {@code valueBytes}, both copying, as a user of either
 * system would: Tessera's {@code put} (serialize into the shared-memory store, seal) followed by
 * {@code free}, and {@code get} (copy out of the store), against Hazelcast's {@code IMap.set} (overwrite
 * one key) and {@code IMap.get} (deserialized copy) on one member and, for a key the other JVM's member
 * owns, on two members.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.management/sun.management=ALL-UNNAMED", "--add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED"})
public class PeerObjectLatency
{
    @Param({"8", "1024", "1048576"})
    public int valueBytes;

    byte[] value;

    @Setup(Level.Trial)
    public void makeValue()
    {
        value = new byte[valueBytes];
        for (int i = 0; i < value.length; i += 64)
        {
            value[i] = (byte) i;
        }
    }

    /** One object Tessera holds for the get benchmark. */
    @State(Scope.Benchmark)
    public static class TesseraStored
    {
        ObjectRef<byte[]> ref;

        @Setup(Level.Trial)
        public void put(TesseraNode node, PeerObjectLatency bench)
        {
            ref = Tessera.put(bench.value);
        }
    }

    /** The value under key 0 of the single member's map. */
    @State(Scope.Benchmark)
    public static class OneMemberStored
    {
        @Setup(Level.Trial)
        public void put(HazelcastOneMember hz, PeerObjectLatency bench)
        {
            hz.map.set(0, bench.value);
        }
    }

    /** The value under a key the other JVM's member owns. */
    @State(Scope.Benchmark)
    public static class TwoMembersStored
    {
        @Setup(Level.Trial)
        public void put(HazelcastTwoMembers hz, PeerObjectLatency bench)
        {
            hz.map.set(hz.remoteKey, bench.value);
        }
    }

    @Benchmark
    public ObjectRef<byte[]> tesseraPut(TesseraNode node)
    {
        final ObjectRef<byte[]> ref = Tessera.put(value);
        Tessera.free(ref);
        return ref;
    }

    @Benchmark
    public byte[] tesseraGet(TesseraStored stored)
    {
        return Tessera.get(stored.ref);
    }

    @Benchmark
    public void hazelcastPutOneMember(HazelcastOneMember hz)
    {
        hz.map.set(0, value);
    }

    @Benchmark
    public byte[] hazelcastGetOneMember(HazelcastOneMember hz, OneMemberStored stored)
    {
        return hz.map.get(0);
    }

    @Benchmark
    public void hazelcastPutTwoMembers(HazelcastTwoMembers hz)
    {
        hz.map.set(hz.remoteKey, value);
    }

    @Benchmark
    public byte[] hazelcastGetTwoMembers(HazelcastTwoMembers hz, TwoMembersStored stored)
    {
        return hz.map.get(hz.remoteKey);
    }
}
