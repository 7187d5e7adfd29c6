package io.tessera.internal.cluster;

import io.tessera.transport.Connection;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An owner's side of job shipping: which job a function belongs to, sending the job's class path to
 * a node once per connection (JOB_CLASSPATH), and serving its entries chunk by chunk (FETCH_JAR). A
 * driver ships its own class path; a node forwards the entries it cached for the job.
 */
final class JobShipping
{
    private final MemberServices member;
    private volatile JobClasspath classpath;
    private final Map<String, CompletableFuture<Void>> jobsSent = new ConcurrentHashMap<>();

    JobShipping(MemberServices member)
    {
        this.member = member;
    }

    /**
     * The job a function belongs to: the driver's own job, or on a node the job whose shipped class
     * loader defined the function (a nested task of that job spilling to another node).
     */
    String jobId(Object fn)
    {
        if (member.jobId() != null)
        {
            return member.jobId();
        }
        final String job = JobClasspath.Cache.jobOf(fn.getClass().getClassLoader());
        return job != null ? job : "node-" + member.runtime().nodeId();
    }

    private JobClasspath classpath()
    {
        JobClasspath cp = classpath;
        if (cp == null)
        {
            synchronized (this)
            {
                cp = classpath;
                if (cp == null)
                {
                    // a driver on the module path has its application's modules there: the nodes load them
                    // on their class path like any job's classes
                    final String modules = System.getProperty("jdk.module.path", "");
                    cp = new JobClasspath(System.getProperty("java.class.path", "")
                        + (modules.isEmpty() ? "" : java.io.File.pathSeparator + modules), Set.of());
                    classpath = cp;
                }
            }
        }
        return cp;
    }

    /**
     * Sends the job's class path to a node once per connection and job; completes when the node has
     * it all. A driver sends its own class path; a node forwards the entries it cached for the job.
     */
    CompletableFuture<Void> ensureJob(Connection c, String jobId)
    {
        final List<JobClasspath.Entry> entries = member.role() == Role.DRIVER
            ? classpath().entries() : member.cache().entries(jobId);
        if (entries == null)
        {
            return CompletableFuture.completedFuture(null);
        }
        return jobsSent.computeIfAbsent(jobId + "@" + c.peerNodeId() + "@" + System.identityHashCode(c),
            k -> NodeProxy.jobClasspath(c, jobId, entries));
    }

    /** Serves one chunk of a class-path entry (FETCH_JAR): at most JAR_CHUNK bytes from {@code offset}. */
    void serveJar(Connection c, long correlationId, String hash, long offset)
    {
        byte[] chunk = member.role() == Role.DRIVER ? classpath().chunk(hash, offset, Msg.JAR_CHUNK) : null;
        if (chunk == null)
        {
            final byte[] cached = member.cache().read(hash);
            chunk = cached == null ? null : JobClasspath.slice(cached, offset, Msg.JAR_CHUNK);
        }
        if (chunk == null)
        {
            c.replyError(correlationId, "no class-path entry " + hash + " here");
        }
        else
        {
            OwnerProxy.replyJarChunk(c, correlationId, chunk);
        }
    }

    /** A job ended: forget which connections were sent its class path. */
    void forgetJob(String jobId)
    {
        jobsSent.keySet().removeIf(k -> k.startsWith(jobId + "@"));
    }
}
