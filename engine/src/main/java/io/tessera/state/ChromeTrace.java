package io.tessera.state;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Task records as a Chrome trace (loadable in Perfetto and {@code chrome://tracing}): one complete
 * slice ({@code "ph":"X"}) per task that started, {@code pid} its node, {@code tid} its worker thread.
 */
public final class ChromeTrace
{
    private ChromeTrace()
    {
    }

    /**
     * The trace of {@code tasks}.
     *
     * @param tasks task records
     * @return {@code {"traceEvents": [...]}}
     */
    public static Map<String, Object> of(List<TaskInfo> tasks)
    {
        final List<Map<String, Object>> events = new ArrayList<>(tasks.size());
        for (TaskInfo t : tasks)
        {
            if (t.nodeId() == null || t.workerThread() == null)
            {
                continue;  // never started: nothing ran
            }
            final Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", t.functionName());
            e.put("cat", "task");
            e.put("ph", "X");
            e.put("ts", t.startedAtUs() > 0 ? t.startedAtUs() : t.submittedAtMs() * 1000 + (t.waitForArgsNs() + t.queueNs()) / 1000);
            e.put("dur", Math.max(1, t.runNs() / 1000));
            e.put("pid", t.nodeId());
            e.put("tid", t.workerThread());
            final Map<String, Object> args = new LinkedHashMap<>();
            args.put("task", t.id());
            args.put("job", t.jobId());
            args.put("state", t.state().name());
            args.put("attempt", t.attempt());
            args.put("waitForArgsUs", t.waitForArgsNs() / 1000);
            args.put("queueUs", t.queueNs() / 1000);
            if (t.error() != null)
            {
                args.put("error", t.error());
            }
            e.put("args", args);
            events.add(e);
        }
        return Map.of("traceEvents", events);
    }
}
