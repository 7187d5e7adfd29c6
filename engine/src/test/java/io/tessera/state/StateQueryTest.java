package io.tessera.state;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateQueryTest
{
    private static TaskInfo task(String id, String fn, TaskStatus s, String node)
    {
        return new TaskInfo(id, fn, s, node, "w-1", "job1", 0, 1000, 0, 0, 0, s == TaskStatus.FAILED ? "boom" : null, 0);
    }

    private final List<TaskInfo> tasks = List.of(
        task("t1", "A.f", TaskStatus.FINISHED, "n1"),
        task("t2", "A.f", TaskStatus.FAILED, "n1"),
        task("t3", "B.g", TaskStatus.FAILED, "n2"),
        task("t4", "B.g", TaskStatus.FAILED, "n2"));

    @Test
    void shouldSelectByFieldNamesAndIdSuffixAliases()
    {
        final StateList<TaskInfo> failedOnN2 = StateQuery.all().filter("state", "FAILED").filter("node", "n2")
            .select(TaskInfo.class, tasks, 7);
        assertEquals(List.of("t3", "t4"), failedOnN2.items().stream().map(TaskInfo::id).toList());
        assertEquals(2, failedOnN2.total());
        assertEquals(7, failedOnN2.dropped());
        assertEquals(1, StateQuery.all().filter("functionName", "A.f").filter("nodeId", "n1").filter("state", "FAILED")
            .select(TaskInfo.class, tasks, 0).total());
    }

    @Test
    void shouldMatchAListFieldByAnyElementAndTheIdsSuffix()
    {
        final List<ObjectInfo> objects = List.of(
            new ObjectInfo("o1", 10, "n1", "job1", List.of("n1", "n2"), 0, false, null, null, 0, 1),
            new ObjectInfo("o2", 10, "n2", "job1", List.of("n2"), 0, true, null, null, 0, 1));
        assertEquals(List.of("o1"), StateQuery.all().filter("node", "n1").select(ObjectInfo.class, objects, 0).items().stream()
            .map(ObjectInfo::id).toList());
        assertEquals(2, StateQuery.all().filter("nodeIds", "n2").select(ObjectInfo.class, objects, 0).total());
        assertEquals(1, StateQuery.all().filter("ownerNode", "n2").select(ObjectInfo.class, objects, 0).total());
        assertEquals(0, StateQuery.all().filter("node", "[n2]").select(ObjectInfo.class, objects, 0).total(), "not the list's text");
    }

    @Test
    void shouldCountAllMatchesButReturnAtMostTheLimit()
    {
        final StateList<TaskInfo> l = StateQuery.all().filter("state", "FAILED").limit(1).select(TaskInfo.class, tasks, 0);
        assertEquals(1, l.items().size());
        assertEquals(3, l.total());
    }

    @Test
    void shouldNameTheValidKeysForAnUnknownOne()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> StateQuery.all().filter("colour", "red").validate(TaskInfo.class));
        assertTrue(ex.getMessage().contains("'colour'") && ex.getMessage().contains("functionName"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StateQuery.all().limit(0));
        assertThrows(IllegalArgumentException.class, () -> StateQuery.all().filter(" ", "x"));
    }

    @Test
    void shouldSummarizeByNameAndState()
    {
        final Summary s = Summary.of(tasks, TaskInfo::functionName, t -> t.state().name(), 2);
        assertEquals(Map.of("FINISHED", 1L, "FAILED", 1L), s.counts().get("A.f"));
        assertEquals(Map.of("FAILED", 2L), s.counts().get("B.g"));
        assertEquals(4, s.total());
        assertEquals(2, s.dropped());
    }

    @Test
    void shouldTellTheShareOfAResourceInUse()
    {
        final NodeInfo n = new NodeInfo("n", "h:1", true, false, Map.of("CPU", 4.0), Map.of("CPU", 1.0), 0, 0, null);
        assertEquals(0.75, n.used("CPU"));
        assertEquals(0.0, n.used("GPU"));
    }
}
