package io.tessera.dashboard.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tessera.dashboard.api.Json;
import io.tessera.dashboard.http.Access;
import io.tessera.dashboard.http.Request;
import io.tessera.dashboard.http.Response;
import io.tessera.dashboard.http.Router;
import io.tessera.state.ClusterState;
import io.tessera.state.JobInfo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The jobs API as REST (every route behind the server's access rule):
 * <pre>
 * POST   /api/jobs                  JobSubmission as JSON → the job (JobDetails), RUNNING or FAILED
 * GET    /api/jobs                  the submitted jobs, then the drivers' jobs not submitted here (submissionId null)
 * GET    /api/jobs/{id}             one job (404 when unknown)
 * GET    /api/jobs/{id}/logs        its driver's whole output, text/plain
 * GET    /api/jobs/{id}/logs/tail   its output as Server-Sent Events: one "data:" per line, then "event: end" with the job
 * POST   /api/jobs/{id}/stop        stops it (SIGTERM, SIGKILL after a grace period) → the job
 * DELETE /api/jobs/{id}             forgets a finished job and its output (409 while it runs)
 * </pre>
 * Malformed JSON or a bad submission is a 400 with a short message. The routes that change something
 * (submit, stop, delete) need {@code Authorization: Bearer <cluster token>} from loopback too: a job runs
 * code as the head's user, which another user of the head's machine must not do by reaching 127.0.0.1.
 */
public final class JobRoutes
{
    private static final ObjectMapper READER = new ObjectMapper();

    private final JobSupervisor jobs;
    private final ClusterState state;
    private final JobLogTails tails;
    /** The token rule alone (no sender address: only the header counts). */
    private final Access tokenOnly;

    /**
     * Routes over {@code jobs}.
     *
     * @param jobs  the head's supervisor
     * @param state the cluster's state (for the drivers' jobs not submitted here)
     * @param tails the open log streams
     * @param token the cluster token the changing routes need
     */
    public JobRoutes(JobSupervisor jobs, ClusterState state, JobLogTails tails, String token)
    {
        this.jobs = jobs;
        this.state = state;
        this.tails = tails;
        this.tokenOnly = new Access(token, "");
    }

    /**
     * Adds the routes (before the state API's, whose {@code GET /api/jobs} they answer instead).
     *
     * @param router the route table
     */
    public void addTo(Router router)
    {
        router.add(HttpMethod.POST, "/api/jobs", withToken(guarded(this::submit)))
            .get("/api/jobs", guarded(r -> Json.ok(list())))
            .get("/api/jobs/{id}", guarded(r -> Json.ok(found(r))))
            .get("/api/jobs/{id}/logs", guarded(this::logs))
            .get("/api/jobs/{id}/logs/tail", guarded(r ->
            {
                final String id = found(r).submissionId();
                final Path file = jobs.logFile(id);
                return new Response.EventStream(channel -> tails.open(channel, file, () -> jobs.get(id).orElse(null)));
            }))
            .add(HttpMethod.POST, "/api/jobs/{id}/stop", withToken(guarded(r -> Json.ok(jobs.stop(r.pathParam("id"))))))
            .add(HttpMethod.DELETE, "/api/jobs/{id}", withToken(guarded(r -> Json.ok(jobs.delete(r.pathParam("id"))))));
    }

    private Response submit(Request r)
    {
        final JobSubmission s;
        try
        {
            s = READER.readValue(r.body(), JobSubmission.class);
        }
        catch (JsonProcessingException ex)
        {
            return Json.error(HttpResponseStatus.BAD_REQUEST, "malformed JSON: " + ex.getOriginalMessage());
        }
        catch (IOException ex)
        {
            return Json.error(HttpResponseStatus.BAD_REQUEST, "unreadable body: " + ex.getMessage());
        }
        if (s == null)
        {
            return Json.error(HttpResponseStatus.BAD_REQUEST, "malformed JSON: the body is empty, give a job submission object");
        }
        return Json.ok(jobs.submit(s));
    }

    private List<JobDetails> list()
    {
        final List<JobDetails> all = new ArrayList<>(jobs.list());
        final Set<String> submitted = all.stream().map(JobDetails::jobId).collect(Collectors.toSet());
        List<JobInfo> drivers;
        try
        {
            drivers = state.jobs();
        }
        catch (UnsupportedOperationException ex)
        {
            drivers = List.of();
        }
        for (JobInfo j : drivers)
        {
            if (!submitted.contains(j.id()))
            {
                all.add(new JobDetails(null, j.id(), switch (j.state())
                {
                    case RUNNING -> JobDetails.Status.RUNNING;
                    case FINISHED -> JobDetails.Status.SUCCEEDED;
                    case FAILED -> JobDetails.Status.FAILED;
                }, "a driver at " + j.driver() + ", not submitted through the jobs API", List.of(), null, List.of(), Map.of(), null,
                    j.startedAtMs(), j.startedAtMs(), j.endedAtMs(), null, 0, 0));
            }
        }
        return all;
    }

    private JobDetails found(Request r)
    {
        return jobs.get(r.pathParam("id")).orElseThrow(() -> new NoSuchElementException("no job " + r.pathParam("id")));
    }

    private Response logs(Request r) throws IOException
    {
        final Path file = jobs.logFile(found(r).submissionId());
        byte[] bytes;
        try
        {
            bytes = Files.readAllBytes(file);
        }
        catch (NoSuchFileException ex)
        {
            bytes = new byte[0];
        }
        return new Response.Full(HttpResponseStatus.OK, "text/plain; charset=utf-8", bytes, Map.of("Cache-Control", "no-store"));
    }

    /** {@code h} for requests that carry the cluster token; 401 for the others, before {@code h} runs. */
    private Router.Handler withToken(Router.Handler h)
    {
        return r -> tokenOnly.allows(null, null, r.headers().get(HttpHeaderNames.AUTHORIZATION)) ? h.handle(r)
            : Json.error(HttpResponseStatus.UNAUTHORIZED, "submitting, stopping and deleting jobs need 'Authorization: Bearer"
                + " <cluster token>', from this host too (tessera job sends the token of TESSERA_TOKEN or the cluster home)")
                .with("WWW-Authenticate", "Bearer realm=\"tessera\"");
    }

    /** {@code h} with the supervisor's refusals as statuses: unknown job 404, not now 409, bad input 400. */
    private static Router.Handler guarded(Router.Handler h)
    {
        return r ->
        {
            try
            {
                return h.handle(r);
            }
            catch (NoSuchElementException ex)
            {
                return Json.error(HttpResponseStatus.NOT_FOUND, ex.getMessage());
            }
            catch (IllegalStateException ex)
            {
                return Json.error(HttpResponseStatus.CONFLICT, ex.getMessage());
            }
            catch (IllegalArgumentException ex)
            {
                return Json.error(HttpResponseStatus.BAD_REQUEST, ex.getMessage());
            }
        };
    }
}
