package io.tessera.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tessera.TesseraException;
import io.tessera.internal.NodeRecords;
import io.tessera.internal.NodeState;
import io.tessera.internal.cluster.ClusterClient;
import io.tessera.state.ChromeTrace;
import io.tessera.state.ClusterState;
import io.tessera.state.JobInfo;
import io.tessera.state.NodeInfo;
import io.tessera.state.PlacementGroupInfo;
import io.tessera.state.StateList;
import io.tessera.state.StateQuery;
import io.tessera.state.Summary;
import io.tessera.state.TaskInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * {@code tessera list | get | summary | timeline}: the state API of a running cluster, asked of the head
 * (which merges its nodes' task records, actors and objects, with its own job table) through the same
 * {@link ClusterState} a driver's {@code Tessera.state()} is.
 */
final class StateCommands
{
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** What {@code list} lists. */
    static final List<String> KINDS = List.of("tasks", "actors", "objects", "nodes", "jobs", "placement-groups");

    private StateCommands()
    {
    }

    /** What kind of records {@code summary} counts. */
    enum Kind
    {
        tasks, actors, objects
    }

    /** The cluster's records, asked of the head of {@code --address} (checked reachable, its token at hand). */
    static NodeRecords records(HeadOption head)
    {
        final Cluster.Head t = Cluster.reachHead(head.address);
        return asked(t, () -> ClusterClient.stateRecords(t.address().toString(), t.token()));
    }

    /**
     * The state API of the cluster at {@code --address}: the records asked of the head once, when first needed; the
     * nodes (each asked for its store use) only when listed.
     */
    static ClusterState state(HeadOption head)
    {
        final Cluster.Head t = Cluster.reachHead(head.address);
        final NodeRecords[] once = new NodeRecords[1];
        return NodeState.of(() -> asked(t, () -> ClusterClient.nodes(t.address().toString(), t.token())), () ->
        {
            if (once[0] == null)
            {
                once[0] = asked(t, () -> ClusterClient.stateRecords(t.address().toString(), t.token()));
            }
            return once[0];
        });
    }

    private static <T> T asked(Cluster.Head t, Supplier<T> question)
    {
        try
        {
            return question.get();
        }
        catch (TesseraException ex)
        {
            throw new CliFailure(CliFailure.RUNTIME, "the head at " + t.address() + " did not answer the state query ("
                + CliFailure.rootMessage(ex) + ")", ex);
        }
    }

    @Command(name = "list", description = {"List the cluster's tasks, actors, objects, nodes, jobs or placement groups.",
        "Tasks are the newest records each node keeps; objects are what the nodes' and drivers' stores hold.",
        "Filter keys are the record's field names (state, functionName, node, job, name, callSite, alive …)."},
        footer = {"", "Examples:", "  tessera list tasks --filter state=FAILED", "  tessera list objects --filter node=node-4711-0a1b2c3d",
            "  tessera list nodes --format json"})
    static final class ListCommand implements Callable<Integer>
    {
        @Mixin
        HelpOption help;

        @Mixin
        HeadOption head;

        @Parameters(index = "0", paramLabel = "WHAT",
            description = "What to list: tasks, actors, objects, nodes, jobs or placement-groups.")
        String kind;

        @Option(names = "--filter", paramLabel = "KEY=VALUE", description = "Only records whose field KEY equals VALUE (repeatable).")
        List<String> filters = new ArrayList<>();

        @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most N records (default ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--format", paramLabel = "table|json", defaultValue = "table", description = "table or json.")
        String format;

        @Override
        public Integer call() throws IOException
        {
            if (!KINDS.contains(kind))
            {
                throw CliFailure.usage("cannot list '" + kind + "': give one of " + String.join(", ", KINDS));
            }
            final StateQuery q = query(filters, limit);
            if (!format.equals("table") && !format.equals("json"))
            {
                throw CliFailure.usage("--format must be table or json, got '" + format + "'");
            }
            final StateList<?> list = select(state(head), q);
            if (format.equals("json"))
            {
                System.out.println(JSON.writeValueAsString(list));
                return 0;
            }
            StateTables.print(kind, list.items());
            System.out.println(list.items().size() + " of " + list.total() + " shown"
                + (kind.equals("tasks") ? "; " + list.dropped() + " task record(s) dropped" : ""));
            return 0;
        }

        private StateList<?> select(ClusterState s, StateQuery q)
        {
            try
            {
                return switch (kind)
                {
                    case "tasks" -> s.tasks(q);
                    case "actors" -> s.actors(q);
                    case "objects" -> s.objects(q);
                    case "nodes" -> q.select(NodeInfo.class, s.nodes(), 0);
                    case "jobs" -> q.select(JobInfo.class, s.jobs(), 0);
                    default -> q.select(PlacementGroupInfo.class, s.placementGroups(), 0);
                };
            }
            catch (IllegalArgumentException ex)
            {
                throw CliFailure.usage(ex.getMessage());
            }
        }
    }

    static StateQuery query(List<String> filters, int limit)
    {
        if (limit < 1)
        {
            throw CliFailure.usage("--limit must be at least 1, got " + limit);
        }
        StateQuery q = StateQuery.all().limit(limit);
        for (String f : filters)
        {
            final int eq = f.indexOf('=');
            if (eq <= 0)
            {
                throw CliFailure.usage("--filter takes KEY=VALUE, got '" + f + "'");
            }
            q = q.filter(f.substring(0, eq), f.substring(eq + 1));
        }
        return q;
    }

    /** What {@code get} looks up. */
    enum One
    {
        task, actor
    }

    @Command(name = "get", description = {"Print one task's or actor's record as JSON.", "Exits with 1 when no node knows it."})
    static final class GetCommand implements Callable<Integer>
    {
        @Mixin
        HelpOption help;

        @Mixin
        HeadOption head;

        @Parameters(index = "0", paramLabel = "task|actor", description = "What to get: ${COMPLETION-CANDIDATES}.")
        One kind;

        @Parameters(index = "1", paramLabel = "ID", description = "Its id, as list shows it.")
        String id;

        @Override
        public Integer call() throws IOException
        {
            final ClusterState s = state(head);
            final Optional<?> found = kind == One.task ? s.task(id) : s.actor(id);
            if (found.isEmpty())
            {
                throw CliFailure.runtime("no node knows " + kind + " " + id + " (task records are a bounded ring: see 'tessera list "
                    + kind + "s')");
            }
            System.out.println(JSON.writeValueAsString(found.get()));
            return 0;
        }
    }

    @Command(name = "summary", description = {"Count the cluster's tasks by function name and state, actors by class and state,",
        "or objects by call site (the function whose result each is) and IN_MEMORY/SPILLED."})
    static final class SummaryCommand implements Callable<Integer>
    {
        @Mixin
        HelpOption help;

        @Mixin
        HeadOption head;

        @Parameters(index = "0", paramLabel = "tasks|actors|objects", description = "What to count: ${COMPLETION-CANDIDATES}.")
        Kind kind;

        @Override
        public Integer call()
        {
            final ClusterState state = state(head);
            final Summary s = switch (kind)
            {
                case tasks -> state.summarizeTasks();
                case actors -> state.summarizeActors();
                case objects -> state.summarizeObjects();
            };
            for (Map.Entry<String, Map<String, Long>> e : s.counts().entrySet())
            {
                System.out.println(e.getKey() + "  " + e.getValue());
            }
            System.out.println(s.total() + " " + kind + " counted"
                + (kind == Kind.tasks ? "; " + s.dropped() + " task record(s) dropped" : ""));
            return 0;
        }
    }

    @Command(name = "timeline", description = {"Write the task records as a Chrome trace (open it in Perfetto or chrome://tracing):",
        "one slice per task that started, pid = node, tid = worker thread."})
    static final class TimelineCommand implements Callable<Integer>
    {
        @Mixin
        HelpOption help;

        @Mixin
        HeadOption head;

        @Option(names = "--job", paramLabel = "J", description = "Only this job's tasks.")
        String job;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true, description = "Where to write the trace JSON.")
        Path output;

        @Override
        public Integer call() throws IOException
        {
            final NodeRecords r = records(head);
            final List<TaskInfo> tasks = r.tasks().stream().filter(t -> job == null || job.equals(t.jobId())).toList();
            final Map<String, Object> trace = ChromeTrace.of(tasks);
            JSON.writeValue(output.toFile(), trace);
            System.out.println("tessera: wrote " + ((List<?>) trace.get("traceEvents")).size() + " slice(s) to " + output);
            return 0;
        }
    }
}
