package io.tessera.internal;

import io.tessera.TesseraConfig;
import io.tessera.gpu.Cuda;
import io.tessera.gpu.GpuDevice;
import io.tessera.memory.ObjectId;
import io.tessera.memory.ObjectStore;
import io.tessera.memory.OwnerOnly;
import io.tessera.memory.StoreContext;
import io.tessera.scheduler.LocalScheduler;
import io.tessera.scheduler.SchedulerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.lang.ref.Cleaner;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A node's resources: its id and id sequence, its object store (in this user's own directory), its
 * local scheduler over the CPUs, GPUs, memory and custom resources found or configured, and the
 * table of its GPU-resident objects. Closed last, after the tables that use them.
 */
final class NodeResources implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(NodeResources.class);
    /** One per process (its thread outlives nodes): releases store objects whose refs became unreachable. */
    private static final Cleaner CLEANER = Cleaner.create(r ->
    {
        final Thread t = new Thread(r, "tessera-cleaner");
        t.setDaemon(true);
        return t;
    });

    final String nodeId;
    final long idPrefix;
    final AtomicLong sequence = new AtomicLong();
    final ObjectStore store;
    final LocalScheduler scheduler;
    final ValueCodec codec;
    final Cleaner cleaner = CLEANER;
    /** Total resources of this node by name (CPU, GPU, memory, custom). */
    final Map<String, Double> totals;
    final GpuObjects gpuObjects;
    /** The CUDA devices this node offers (none without CUDA). */
    final List<GpuDevice> gpuDevices;
    /** What ran here, for the state API ({@code tessera.taskRecords} slots, 0 = off). */
    final TaskRecords taskRecords = new TaskRecords(TaskRecords.configuredCapacity());
    /** The job of an embedded node (one run = one job); a cluster's jobs are the head's. */
    final String jobId;
    /** This process's namespace of named actors: the configured one, else an anonymous one of its own. */
    final String namespace;
    /** When this node started (epoch milliseconds). */
    final long startedAtMs = System.currentTimeMillis();
    /** The low-latency mode ({@link TesseraConfig#lowLatency()}): driver threads spin in {@code get}. */
    final boolean lowLatency;

    /** This process's resources; a {@code driver} offers none (every task goes to the cluster it joins). */
    NodeResources(TesseraConfig config, boolean driver)
    {
        this.idPrefix = ThreadLocalRandom.current().nextLong();
        this.nodeId = String.format("node-%d-%08x", ProcessHandle.current().pid(), (int) idPrefix);
        this.jobId = String.format("job-%08x", (int) idPrefix);
        this.namespace = config.namespace() != null ? config.namespace() : "anonymous-" + java.util.UUID.randomUUID();
        this.codec = new ValueCodec(config.registeredClasses());
        final List<GpuDevice> gpus = Cuda.isAvailable() ? Cuda.devices() : List.of();
        if (gpus.isEmpty() && Double.isNaN(config.gpus()))
        {
            LOG.info("node starts with GPU = 0: {}", Cuda.unavailabilityCause());
        }
        final SchedulerContext sc = new SchedulerContext();
        final double cpus = driver ? 0 : Double.isNaN(config.cpus()) ? Runtime.getRuntime().availableProcessors() : config.cpus();
        final int gpuCount = driver ? 0 : Double.isNaN(config.gpus()) ? gpus.size() : (int) config.gpus();
        final int[] gpuIds = new int[gpuCount];
        for (int i = 0; i < gpuCount; i++)
        {
            gpuIds[i] = i;
        }
        final long memory = (long) (physicalMemory() * 0.7);
        sc.cpus(cpus).gpuIds(gpuIds).memoryBytes(memory);
        this.lowLatency = config.lowLatency();
        sc.busySpin(lowLatency);
        if (config.pinThreads())
        {
            sc.threadPinning(new AffinityPinning());
        }
        final Map<String, Double> custom = new LinkedHashMap<>();
        this.gpuDevices = List.copyOf(gpus.subList(0, Math.min(gpus.size(), gpuCount)));
        for (GpuDevice d : gpuDevices)
        {
            custom.merge(d.acceleratorResource(), 1.0, Double::sum);
        }
        custom.putAll(config.resources());
        custom.forEach(sc::resource);
        if (!gpus.isEmpty())
        {
            sc.gpuBinder(new CudaBinder());
        }
        final Map<String, Double> t = new LinkedHashMap<>();
        t.put("CPU", cpus);
        t.put("GPU", (double) gpuCount);
        t.put("memory", (double) memory);
        t.putAll(custom);
        this.totals = Map.copyOf(t);

        final StoreContext ctx = new StoreContext().capacityBytes(config.objectStoreBytes());
        final String file = "tessera-" + ProcessHandle.current().pid() + "-" + Long.toHexString(idPrefix) + ".store";
        // Store files and spill directories live in this user's own 0700 directory inside the
        // (usually world-writable) configured ones: /dev/shm/tessera-<uid>, <tmp>/tessera-<uid>.
        final Path storeDir;
        final Path spillRoot;
        try
        {
            storeDir = OwnerOnly.userDirectory(config.storeDirectory() != null ? config.storeDirectory()
                : StoreContext.defaultStoreDirectory().getParent());
            spillRoot = OwnerOnly.userDirectory(config.spillDirectory() != null ? config.spillDirectory()
                : StoreContext.defaultSpillRoot().getParent());
        }
        catch (java.io.IOException ex)
        {
            throw new io.tessera.TesseraException("cannot prepare the object store's directory: " + ex.getMessage(), ex);
        }
        ctx.path(storeDir.resolve(file)).spillDir(StoreContext.spillDirFor(spillRoot, storeDir.resolve(file)));
        final int orphans = ObjectStore.deleteOrphans(storeDir, spillRoot);
        if (orphans > 0)
        {
            LOG.info("deleted {} store file(s) left in {} by dead processes", orphans, ctx.path().getParent());
        }
        this.store = ObjectStore.create(ctx);
        LocalScheduler s = null;
        try
        {
            s = new LocalScheduler(sc);
        }
        finally
        {
            if (s == null)
            {
                store.close();
            }
        }
        this.scheduler = s;
        this.gpuObjects = new GpuObjects(store, cleaner);
    }

    /** A fresh object id of this node. */
    ObjectId nextId()
    {
        return ObjectId.of(idPrefix, sequence.incrementAndGet());
    }

    /** Stops the scheduler, then closes the GPU objects and the store. */
    @Override
    public void close()
    {
        try
        {
            scheduler.close();
        }
        finally
        {
            try
            {
                gpuObjects.close();
            }
            finally
            {
                store.close();
            }
        }
    }

    private static long physicalMemory()
    {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os)
        {
            return os.getTotalMemorySize();
        }
        return Runtime.getRuntime().maxMemory();
    }
}
