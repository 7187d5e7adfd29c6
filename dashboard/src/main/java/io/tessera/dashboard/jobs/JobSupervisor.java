package io.tessera.dashboard.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.internal.JvmFlags;
import io.tessera.internal.cluster.HeadJobs;
import io.tessera.memory.OwnerOnly;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The head's job supervisor: starts each submitted driver as a child process of the head (its
 * output into {@code <dir>/<submission id>.log}), follows it to its end, and journals every status
 * change in the head's journal.
 * <p>
 * After a head restart the journal's jobs come back: a driver still alive under its recorded pid
 * (and start instant) is supervised again by pid (drivers outlive their head, and rejoin the
 * restarted head on their own); one that ended meanwhile gets its result from the exit file its
 * {@link DriverMain} left, else FAILED with that reason.
 * <p>
 * Stopping sends the driver SIGTERM, then SIGKILL after {@code tessera.jobStopGraceMs} (default
 * 5000); once it is gone the head ends its job at once, so every node frees its tasks and actors.
 */
public final class JobSupervisor implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(JobSupervisor.class);
    /** Records of a later version (fields this one does not know) are still read. */
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final HeadJobs head;
    private final Path dir;
    private final String headAddress;
    private final String token;
    private final long stopGraceMs = Long.getLong("tessera.jobStopGraceMs", 5000);
    private final Map<String, JobDetails> jobs = new ConcurrentHashMap<>();
    private final Map<String, ProcessHandle> drivers = new ConcurrentHashMap<>();
    private final Set<String> stopping = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r ->
    {
        final Thread t = new Thread(r, "tessera-job-supervisor");
        t.setDaemon(true);
        return t;
    });

    /**
     * Supervises the jobs of the head behind {@code head}, recovering those its journal holds.
     *
     * @param head        the head's journal and job control
     * @param dir         where the drivers' output files go
     * @param headAddress HOST:PORT the drivers join
     * @param token       the cluster token the drivers present
     */
    public JobSupervisor(HeadJobs head, Path dir, String headAddress, String token)
    {
        this.head = head;
        this.dir = dir;
        this.headAddress = headAddress;
        this.token = token;
        recover();
    }

    private void recover()
    {
        head.records().forEach((id, text) ->
        {
            try
            {
                jobs.put(id, JSON.readValue(text, JobDetails.class));
            }
            catch (JsonProcessingException ex)
            {
                LOG.warn("the journal's record of job {} cannot be read, skipped: {}", id, ex.getMessage());
            }
        });
        for (JobDetails d : List.copyOf(jobs.values()))
        {
            if (d.status().terminal())
            {
                continue;
            }
            final Optional<ProcessHandle> driver = d.driverPid() == 0 ? Optional.empty()
                : ProcessHandle.of(d.driverPid()).filter(h -> h.isAlive() && startMs(h) == d.driverStartMs());
            if (driver.isPresent())
            {
                LOG.info("job {}: its driver (pid {}) outlived the head's restart; supervising it again", d.submissionId(), d.driverPid());
                follow(d.submissionId(), driver.get(), null);
            }
            else
            {
                exited(d.submissionId(), null);
            }
        }
    }

    /**
     * Starts a job.
     *
     * @param s what to run
     * @return the job, RUNNING (or FAILED when its driver could not start)
     * @throws IllegalArgumentException when {@code s} is not valid or its id is taken
     */
    public JobDetails submit(JobSubmission s)
    {
        s.validate();
        final String id = s.submissionId() == null || s.submissionId().isEmpty()
            ? "job-" + UUID.randomUUID().toString().substring(0, 8) : s.submissionId();
        final JobDetails pending = new JobDetails(id, UUID.randomUUID().toString().substring(0, 8), JobDetails.Status.PENDING,
            "starting the driver", s.classPath(), s.mainClass(), s.args(), s.env(), emptyToNull(s.workingDir()),
            System.currentTimeMillis(), 0, 0, null, 0, 0);
        if (jobs.putIfAbsent(id, pending) != null)
        {
            throw new IllegalArgumentException("submission id " + id + " is taken: give another, or delete the finished job first");
        }
        journal(pending);
        final Process p;
        try
        {
            // made at each start (the log pruning of a node starting on this host removes an empty directory), 0700;
            // the output file 0600, as the nodes' logs
            OwnerOnly.directory(dir);
            if (!Files.exists(logFile(id)))
            {
                Files.createFile(logFile(id), OwnerOnly.fileAttribute());
            }
            Files.deleteIfExists(exitFile(id));
            p = processOf(pending).start();
        }
        catch (IOException | RuntimeException ex)
        {
            return end(id, JobDetails.Status.FAILED, "cannot start the driver: " + ex.getMessage(), null);
        }
        final JobDetails running = pending.running(p.pid(), startMs(p.toHandle()), System.currentTimeMillis());
        synchronized (this)
        {
            if (jobs.get(id).status() != JobDetails.Status.PENDING)
            {
                p.destroyForcibly();  // stopped while its driver was starting
                return jobs.get(id);
            }
            jobs.put(id, running);
            journal(running);
        }
        LOG.info("job {} started: {} (pid {}, job {})", id, pending.mainClass(), p.pid(), pending.jobId());
        follow(id, p.toHandle(), p);
        return jobs.get(id);
    }

    private ProcessBuilder processOf(JobDetails d)
    {
        final List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(Arrays.asList(JvmFlags.recommended().trim().split("\\s+")));
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, d.classPath().stream().map(e -> Path.of(e).toAbsolutePath().toString()).toList())
            + File.pathSeparator + System.getProperty("java.class.path"));
        cmd.add(DriverMain.class.getName());
        cmd.add(exitFile(d.submissionId()).toString());
        cmd.add(d.mainClass());
        cmd.addAll(d.args());
        final ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(d.submissionId()).toFile()));
        if (d.workingDir() != null)
        {
            pb.directory(new File(d.workingDir()));
        }
        pb.environment().putAll(d.env());
        pb.environment().put("TESSERA_ADDRESS", headAddress);
        pb.environment().put("TESSERA_TOKEN", token);
        pb.environment().put("TESSERA_JOB_ID", d.jobId());
        pb.environment().put("TESSERA_SUBMISSION_ID", d.submissionId());
        return pb;
    }

    /** Follows a driver to its end; {@code child} (null for a driver adopted by pid) gives its exit code. */
    private void follow(String id, ProcessHandle driver, Process child)
    {
        drivers.put(id, driver);
        if (child != null)
        {
            child.onExit().thenRun(() -> exited(id, child.exitValue()));
        }
        else
        {
            driver.onExit().thenRun(() -> exited(id, null));
        }
    }

    /** A driver ended (or was found gone): its status from its exit code, else its exit file. */
    private void exited(String id, Integer exitCode)
    {
        drivers.remove(id);
        final JobDetails d = jobs.get(id);
        if (d == null || d.status().terminal())
        {
            return;
        }
        final String[] file = readExitFile(id);
        final Integer code = exitCode != null ? exitCode : file != null ? Integer.valueOf(file[0]) : null;
        final String told = file != null && code != null && file[0].equals(String.valueOf(code)) ? file[1] : null;
        if (stopping.remove(id))
        {
            end(id, JobDetails.Status.STOPPED, "stopped on request" + (code == null ? "" : " (the driver exited with " + code + ")"), code);
        }
        else if (code == null)
        {
            end(id, JobDetails.Status.FAILED, d.driverPid() == 0 ? "the head stopped before the driver started"
                : "the driver (pid " + d.driverPid() + ") ended while the head was away and left no exit status", null);
        }
        else if (code == 0)
        {
            end(id, JobDetails.Status.SUCCEEDED, "the driver exited with 0", 0);
        }
        else
        {
            end(id, JobDetails.Status.FAILED, (told != null ? told + "; " : "") + "the driver exited with " + code
                + (told != null ? "" : ": see its logs"), code);
        }
    }

    private JobDetails end(String id, JobDetails.Status status, String why, Integer code)
    {
        final JobDetails ended;
        synchronized (this)
        {
            final JobDetails d = jobs.get(id);
            if (d == null || d.status().terminal())
            {
                return d;
            }
            ended = d.ended(status, why, code, System.currentTimeMillis());
            jobs.put(id, ended);
            journal(ended);
        }
        LOG.info("job {} {}: {}", id, status, why);
        try
        {
            // at once, not after the grace period the head gives a driver's closed connection
            head.endJob(ended.jobId(), "the driver of submission " + id + " ended");
        }
        catch (RuntimeException ex)
        {
            LOG.warn("cannot end job {} of submission {} on the head: {}", ended.jobId(), id, ex.toString());
        }
        return ended;
    }

    /**
     * Stops a job: SIGTERM to its driver, SIGKILL after the grace period; the job becomes STOPPED
     * once the driver is gone. A finished job is left as it is.
     *
     * @param id the submission id
     * @return the job as it is now
     * @throws NoSuchElementException when there is no such job
     */
    public JobDetails stop(String id)
    {
        final JobDetails d = require(id);
        if (d.status().terminal())
        {
            return d;
        }
        stopping.add(id);
        final ProcessHandle driver = drivers.get(id);
        if (driver == null || !driver.isAlive())
        {
            exited(id, null);
            return require(id);
        }
        LOG.info("job {}: stopping its driver (pid {})", id, driver.pid());
        driver.destroy();
        timer.schedule(() ->
        {
            if (driver.isAlive())
            {
                LOG.warn("job {}: the driver (pid {}) outlived SIGTERM by {} ms; killing it", id, driver.pid(), stopGraceMs);
                driver.destroyForcibly();
            }
        }, stopGraceMs, TimeUnit.MILLISECONDS);
        return require(id);
    }

    /**
     * Forgets a finished job and deletes its output.
     *
     * @param id the submission id
     * @return the job as it was
     * @throws NoSuchElementException when there is no such job
     * @throws IllegalStateException  when it has not finished
     */
    public JobDetails delete(String id)
    {
        final JobDetails d;
        synchronized (this)
        {
            d = require(id);
            if (!d.status().terminal())
            {
                throw new IllegalStateException("job " + id + " is " + d.status() + ": stop it first, only finished jobs are deleted");
            }
            head.record(id, null);
            jobs.remove(id);
        }
        try
        {
            Files.deleteIfExists(dir.resolve(id + ".log"));
            Files.deleteIfExists(exitFile(id));
        }
        catch (IOException ex)
        {
            LOG.warn("cannot delete the files of job {}: {}", id, ex.getMessage());
        }
        return d;
    }

    /**
     * One job.
     *
     * @param id the submission id
     * @return it, if known
     */
    public Optional<JobDetails> get(String id)
    {
        return Optional.ofNullable(jobs.get(id));
    }

    /**
     * Every job, oldest first.
     *
     * @return a snapshot
     */
    public List<JobDetails> list()
    {
        return jobs.values().stream().sorted(Comparator.comparingLong(JobDetails::submittedAtMs)).toList();
    }

    /**
     * The file holding a job's driver output.
     *
     * @param id the submission id
     * @return its path (it may not exist yet, or be pruned)
     * @throws NoSuchElementException when there is no such job
     */
    public Path logFile(String id)
    {
        require(id);
        return dir.resolve(id + ".log");
    }

    private JobDetails require(String id)
    {
        final JobDetails d = jobs.get(id);
        if (d == null)
        {
            throw new NoSuchElementException("no job " + id);
        }
        return d;
    }

    private Path exitFile(String id)
    {
        return dir.resolve(id + ".exit");
    }

    /** The exit file's code and message, or null when there is none. */
    private String[] readExitFile(String id)
    {
        try
        {
            final List<String> lines = Files.readAllLines(exitFile(id), StandardCharsets.UTF_8);
            return lines.isEmpty() || !lines.getFirst().matches("-?\\d+") ? null
                : new String[] {lines.getFirst(), lines.size() > 1 ? lines.get(1) : ""};
        }
        catch (IOException ex)
        {
            return null;
        }
    }

    private void journal(JobDetails d)
    {
        try
        {
            head.record(d.submissionId(), JSON.writeValueAsString(d));
        }
        catch (JsonProcessingException ex)
        {
            throw new IllegalStateException("cannot write job " + d.submissionId() + " as JSON", ex);
        }
    }

    private static long startMs(ProcessHandle h)
    {
        return h.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
    }

    private static String emptyToNull(String s)
    {
        return s == null || s.isEmpty() ? null : s;
    }

    /** Stops following the drivers; they keep running (a restarted head supervises them again). */
    @Override
    public void close()
    {
        timer.shutdownNow();
    }
}
