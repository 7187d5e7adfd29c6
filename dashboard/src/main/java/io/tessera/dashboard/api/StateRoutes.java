package io.tessera.dashboard.api;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.tessera.dashboard.http.Request;
import io.tessera.dashboard.http.Response;
import io.tessera.dashboard.http.Router;
import io.tessera.state.ChromeTrace;
import io.tessera.state.ClusterState;
import io.tessera.state.StateQuery;
import io.tessera.state.Summary;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The state API as REST, each route one {@link ClusterState} call:
 * <pre>
 * GET /api/nodes | /api/jobs | /api/placement-groups
 * GET /api/actors | /api/tasks | /api/objects ?FIELD=VALUE…&amp;limit=N   (filters as StateQuery; tasks: name = functionName)
 * GET /api/actors/{id} | /api/tasks/{id}                              (404 when unknown)
 * GET /api/summary/{tasks|actors|objects}
 * GET /api/timeline?job=J                                             (Chrome trace, as a download)
 * GET /api/prometheus/sd                                              (Prometheus HTTP SD)
 * </pre>
 * A filter on an unknown field is a 400; what the engine does not implement yet is a 501. The logs are
 * {@link LogRoutes}'.
 */
public final class StateRoutes
{
    private final ClusterState state;

    /**
     * Routes over {@code state}.
     *
     * @param state the cluster's state
     */
    public StateRoutes(ClusterState state)
    {
        this.state = state;
    }

    /**
     * Adds the routes.
     *
     * @param router the route table
     */
    public void addTo(Router router)
    {
        router.get("/api/nodes", r -> Json.ok(state.nodes()))
            .get("/api/jobs", r -> Json.ok(state.jobs()))
            .get("/api/placement-groups", r -> Json.ok(state.placementGroups()))
            .get("/api/actors", r -> Json.ok(state.actors(query(r, Map.of()))))
            .get("/api/tasks", r -> Json.ok(state.tasks(query(r, Map.of("name", "functionName")))))
            .get("/api/objects", r -> Json.ok(state.objects(query(r, Map.of()))))
            .get("/api/actors/{id}", r -> found(state.actor(r.pathParam("id")), "actor", r))
            .get("/api/tasks/{id}", r -> found(state.task(r.pathParam("id")), "task", r))
            .get("/api/summary/{kind}", this::summary)
            .get("/api/timeline", this::timeline)
            .get("/api/prometheus/sd", r -> Json.ok(PrometheusSd.targets(state.nodes())));
    }

    /** The query parameters as a {@link StateQuery}: {@code limit}, and every other non-empty one as a filter. */
    static StateQuery query(Request r, Map<String, String> aliases)
    {
        StateQuery q = StateQuery.all();
        for (Map.Entry<String, List<String>> p : r.query().entrySet())
        {
            final String value = p.getValue().isEmpty() ? "" : p.getValue().getFirst();
            if (value.isEmpty())
            {
                continue;
            }
            if (p.getKey().equals("limit"))
            {
                try
                {
                    q = q.limit(Integer.parseInt(value));
                }
                catch (NumberFormatException ex)
                {
                    throw new IllegalArgumentException("limit must be a whole number, got '" + value + "'");
                }
            }
            else
            {
                q = q.filter(aliases.getOrDefault(p.getKey(), p.getKey()), value);
            }
        }
        return q;
    }

    private static Response found(Optional<?> record, String what, Request r)
    {
        return record.<Response>map(Json::ok)
            .orElseGet(() -> Json.error(HttpResponseStatus.NOT_FOUND, "no " + what + " " + r.pathParam("id")));
    }

    private Response summary(Request r)
    {
        final Supplier<Summary> s = switch (r.pathParam("kind"))
        {
            case "tasks" -> state::summarizeTasks;
            case "actors" -> state::summarizeActors;
            case "objects" -> state::summarizeObjects;
            default -> null;
        };
        if (s == null)
        {
            return Json.error(HttpResponseStatus.NOT_FOUND, "no summary of '" + r.pathParam("kind") + "': tasks, actors or objects");
        }
        return Json.ok(s.get());
    }

    private Response timeline(Request r)
    {
        StateQuery q = StateQuery.all().limit(Integer.MAX_VALUE);
        final String job = r.param("job");
        if (job != null && !job.isEmpty())
        {
            q = q.filter("jobId", job);
        }
        return Json.ok(ChromeTrace.of(state.tasks(q).items()))
            .with("Content-Disposition", "attachment; filename=\"tessera-trace" + (job == null || job.isEmpty() ? "" : "-"
                + job) + ".json\"");
    }
}
