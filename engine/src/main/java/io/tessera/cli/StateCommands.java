package io.tessera.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tessera.TesseraException;
import io.tessera.internal.NodeRecords;
import io.tessera.internal.cluster.ClusterClient;
import io.tessera.state.ActorInfo;
import io.tessera.state.ChromeTrace;
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

/**
 * {@code tessera list | get | summary | timeline}: the state API of a running cluster, asked of the head
 * (which merges its nodes' task records and actors).
 */
final class StateCommands
{
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private StateCommands()
    {
    }

    /** What kind of records a command lists. */
    enum Kind
    {
        tasks, actors
    }

    /** The cluster's records, asked of the head of {@code --address} (checked reachable, its token at hand). */
    static NodeRecords records(HeadOption head)
    {
        final Cluster.Head t = Cluster.reachHead(head.address);
        try
        {
            return ClusterClient.stateRecords(t.address().toString(), t.token());
        }
        catch (TesseraException ex)
        {
            throw new CliFailure(CliFailure.RUNTIME, "the head at " + t.address() + " did not answer the state query ("
                + CliFailure.rootMessage(ex) + ")", ex);
        }
    }

    @Command(name = "list", description = {"List the cluster's tasks or actors (newest records each node keeps).",
        "Filter keys are the record's field names (state, functionName, node, job, name, className …)."})
    static final class ListCommand implements Callable<Integer>
    {
        @Mixin
        HelpOption help;

        @Mixin
        HeadOption head;

        @Parameters(index = "0", paramLabel = "tasks|actors", description = "What to list: ${COMPLETION-CANDIDATES}.")
        Kind kind;

        @Option(names = "--filter", paramLabel = "KEY=VALUE", description = "Only records whose field KEY equals VALUE (repeatable).")
        List<String> filters = new ArrayList<>();

        @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most N records (default ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--format", paramLabel = "table|json", defaultValue = "table", description = "table or json.")
        String format;

        @Override
        public Integer call() throws IOException
        {
            final StateQuery q = query(filters, limit);
            if (!format.equals("table") && !format.equals("json"))
            {
                throw CliFailure.usage("--format must be table or json, got '" + format + "'");
            }
            final NodeRecords r = records(head);
            final StateList<?> list = select(q, r);
            if (format.equals("json"))
            {
                System.out.println(JSON.writeValueAsString(list));
                return 0;
            }
            if (kind == Kind.tasks)
            {
                System.out.printf("%-24s %-32s %-22s %-24s %-8s %s%n", "ID", "FUNCTION", "STATE", "NODE", "ATTEMPT", "ERROR");
                for (Object o : list.items())
                {
                    final TaskInfo t = (TaskInfo) o;
                    System.out.printf("%-24s %-32s %-22s %-24s %-8d %s%n", t.id(), t.functionName(), t.state(), t.nodeId(), t.attempt(),
                        t.error() == null ? "" : t.error());
                }
            }
            else
            {
                System.out.printf("%-24s %-40s %-20s %-10s %-24s %s%n", "ID", "CLASS", "NAME", "STATE", "NODE", "DEATH CAUSE");
                for (Object o : list.items())
                {
                    final ActorInfo a = (ActorInfo) o;
                    System.out.printf("%-24s %-40s %-20s %-10s %-24s %s%n", a.id(), a.className(), a.name() == null ? "" : a.name(),
                        a.state(), a.nodeId(), a.deathCause() == null ? "" : a.deathCause());
                }
            }
            System.out.println(list.items().size() + " of " + list.total() + " shown; " + list.dropped() + " task record(s) dropped");
            return 0;
        }

        private StateList<?> select(StateQuery q, NodeRecords r)
        {
            try
            {
                return kind == Kind.tasks ? q.select(TaskInfo.class, r.tasks(), r.dropped()) : q.select(ActorInfo.class, r.actors(), 0);
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
            final NodeRecords r = records(head);
            final Optional<?> found = kind == One.task
                ? r.tasks().stream().filter(t -> t.id().equals(id)).reduce((first, second) -> second)
                : r.actors().stream().filter(a -> a.id().equals(id)).findFirst();
            if (found.isEmpty())
            {
                throw CliFailure.runtime("no node knows " + kind + " " + id + " (task records are a bounded ring: see 'tessera list "
                    + kind + "s')");
            }
            System.out.println(JSON.writeValueAsString(found.get()));
            return 0;
        }
    }

    @Command(name = "summary", description = "Count the cluster's tasks by function name (actors by class) and state.")
    static final class SummaryCommand implements Callable<Integer>
    {
        @Mixin
        HelpOption help;

        @Mixin
        HeadOption head;

        @Parameters(index = "0", paramLabel = "tasks|actors", description = "What to count: ${COMPLETION-CANDIDATES}.")
        Kind kind;

        @Override
        public Integer call()
        {
            final NodeRecords r = records(head);
            final Summary s = kind == Kind.tasks ? Summary.of(r.tasks(), TaskInfo::functionName, t -> t.state().name(), r.dropped())
                : Summary.of(r.actors(), ActorInfo::className, a -> a.state().name(), 0);
            for (Map.Entry<String, Map<String, Long>> e : s.counts().entrySet())
            {
                System.out.println(e.getKey() + "  " + e.getValue());
            }
            System.out.println(s.total() + " " + kind + " counted; " + s.dropped() + " task record(s) dropped");
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
