package io.tessera.jmh.report;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchTableTest
{
    private static final String JSON = """
        [
          {"jmhVersion" : "1.37", "benchmark" : "io.tessera.jmh.peer.PeerObjectLatency.tesseraGet", "mode" : "sample",
           "params" : {"valueBytes" : "1024"},
           "primaryMetric" : {"score" : 2.5, "scoreError" : 0.1, "scoreConfidence" : [2.4, 2.6],
             "scorePercentiles" : {"0.0" : 1.0, "50.0" : 2.0, "99.0" : 9.0, "99.9" : 30.0, "100.0" : 99.0},
             "scoreUnit" : "us/op", "rawDataHistogram" : [[[1.0, 3], [2.0, 5]]]}, "secondaryMetrics" : {}},
          {"jmhVersion" : "1.37", "benchmark" : "io.tessera.jmh.peer.PeerObjectLatency.hazelcastGetOneMember", "mode" : "sample",
           "params" : {"valueBytes" : "1024"},
           "primaryMetric" : {"score" : 9.0, "scoreError" : "NaN",
             "scorePercentiles" : {"50.0" : 8.0, "99.0" : 20.0, "99.9" : 50.0},
             "scoreUnit" : "us/op"}, "secondaryMetrics" : {}},
          {"benchmark" : "io.tessera.jmh.peer.PeerObjectLatency.hazelcastPutOneMember", "mode" : "sample",
           "params" : {"valueBytes" : "1024"},
           "primaryMetric" : {"score" : 9.0, "scoreError" : 1, "scorePercentiles" : {"50.0" : 8.0},
             "scoreUnit" : "us/op"}},
          {"benchmark" : "io.tessera.jmh.engine.TaskThroughput.tesseraTasks", "mode" : "thrpt",
           "primaryMetric" : {"score" : 3.0E5, "scoreError" : 1.0E3, "scoreUnit" : "ops/s"}},
          {"benchmark" : "io.tessera.jmh.engine.TaskThroughput.baselineForkJoinPool", "mode" : "thrpt",
           "primaryMetric" : {"score" : 1.5E5, "scoreError" : 1.0E3, "scoreUnit" : "ops/s"}}
        ]
        """;

    @Test
    void shouldReadJmhJsonIncludingNaNStrings()
    {
        final List<BenchResult> rs = BenchResult.fromJmhJson(JSON);
        assertEquals(5, rs.size());
        final BenchResult get = rs.get(0);
        assertEquals("io.tessera.jmh.peer.PeerObjectLatency", get.className());
        assertEquals("tesseraGet", get.method());
        assertEquals(Map.of("valueBytes", "1024"), get.params());
        assertEquals(2.0, get.p50());
        assertEquals(30.0, get.p999());
        assertTrue(Double.isNaN(rs.get(1).error()));
        assertTrue(Double.isNaN(rs.get(3).p50()));
    }

    @Test
    void shouldClassifyBaselinesByName()
    {
        for (String b : List.of("baselineForkJoinPool", "hazelcastOneMember", "rawLaunchVectorAdd", "concurrentHashMapBaseline",
            "htodRawPinned", "jdkExecutor"))
        {
            assertTrue(Pairing.isBaseline(b, false), b);
        }
        for (String t : List.of("storePutGet", "getRelease", "htodGpuBufferDirect", "rawhide"))
        {
            assertFalse(Pairing.isBaseline(t, false), t);
        }
        assertTrue(Pairing.isBaseline("singleThreadExecutorPerActor", true));
        assertFalse(Pairing.isBaseline("tesseraMailbox", true));
        assertTrue(Pairing.isBaseline("tesseractBench", true));
    }

    @Test
    void shouldTreatEveryOtherMethodAsBaselineInClassWithTesseraMethods()
    {
        final String json = """
            [{"benchmark":"s.MailboxThroughput.singleThreadExecutorPerActor","mode":"thrpt","params":{"actors":"1"},
              "primaryMetric":{"score":100,"scoreError":0,"scoreUnit":"ops/s"}},
             {"benchmark":"s.MailboxThroughput.tesseraMailbox","mode":"thrpt","params":{"actors":"1"},
              "primaryMetric":{"score":300,"scoreError":0,"scoreUnit":"ops/s"}}]
            """;
        final List<Pairing.Row> rows = Pairing.pair(BenchResult.fromJmhJson(json));
        assertEquals(1, rows.size());
        assertEquals("tesseraMailbox", rows.get(0).tessera().method());
        assertEquals("3.00×", BenchTable.ratio(rows.get(0).tessera(), rows.get(0).baseline()));
    }

    @Test
    void shouldPairByOperationAndFallBackToEveryTesseraMethod()
    {
        final List<Pairing.Row> rows = Pairing.pair(BenchResult.fromJmhJson(JSON));
        assertEquals(3, rows.size());
        assertEquals("tesseraGet", rows.get(0).tessera().method());
        assertEquals("hazelcastGetOneMember", rows.get(0).baseline().method());
        assertNull(rows.get(1).tessera(), "no tesseraPut in this run: the put baseline stands alone");
        assertEquals("tesseraTasks", rows.get(2).tessera().method());
        assertEquals("baselineForkJoinPool", rows.get(2).baseline().method());
    }

    @Test
    void shouldPairMidNameMarkerWithItsGroupOnly()
    {
        final String json = """
            [{"benchmark":"g.C.htodGpuBuffer","mode":"avgt","primaryMetric":{"score":2,"scoreError":0,"scoreUnit":"us/op"}},
             {"benchmark":"g.C.dtohGpuBuffer","mode":"avgt","primaryMetric":{"score":2,"scoreError":0,"scoreUnit":"us/op"}},
             {"benchmark":"g.C.htodRawPinned","mode":"avgt","primaryMetric":{"score":1,"scoreError":0,"scoreUnit":"us/op"}}]
            """;
        final List<Pairing.Row> rows = Pairing.pair(BenchResult.fromJmhJson(json));
        assertEquals(2, rows.size());
        assertEquals("htodRawPinned", rows.get(0).baseline().method());
        assertNull(rows.get(1).baseline());
    }

    @Test
    void shouldReportSpeedAsTesseraFasterAboveOne()
    {
        final String table = BenchTable.render(BenchResult.fromJmhJson(JSON));
        assertTrue(table.contains("| 4.00× |"), table);   // 8.0 us p50 baseline / 2.0 us p50 Tessera
        assertTrue(table.contains("| 2.00× |"), table);   // 3e5 / 1.5e5 ops/s
        assertTrue(table.contains("2.00 / 9.00 / 30.0"), table);
    }

    @Test
    void shouldShowAllocationPerOperationOnlyWhenTheRunProfiledIt()
    {
        assertFalse(BenchTable.render(BenchResult.fromJmhJson(JSON)).contains("alloc B/op"), "no -prof gc, no column");
        final String profiled = """
            [
              {"benchmark" : "io.tessera.jmh.engine.TaskThroughput.tesseraTasks", "mode" : "thrpt",
               "primaryMetric" : {"score" : 3.0E5, "scoreError" : 1.0E3, "scoreUnit" : "ops/s"},
               "secondaryMetrics" : {"gc.alloc.rate.norm" : {"score" : 271.7, "scoreUnit" : "B/op"}}},
              {"benchmark" : "io.tessera.jmh.engine.TaskThroughput.baselineForkJoinPool", "mode" : "thrpt",
               "primaryMetric" : {"score" : 1.5E5, "scoreError" : 1.0E3, "scoreUnit" : "ops/s"},
               "secondaryMetrics" : {"gc.alloc.rate.norm" : {"score" : 87.9, "scoreUnit" : "B/op"}}}
            ]
            """;
        final List<BenchResult> rs = BenchResult.fromJmhJson(profiled);
        assertEquals(271.7, rs.get(0).allocBytes());
        final String table = BenchTable.render(rs);
        assertTrue(table.contains("alloc B/op Tessera / baseline"), table);
        assertTrue(table.contains("| 272 / 88 |"), table);
    }

    @Test
    void shouldNameTheOffsetOfBadJson()
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchResult.fromJmhJson("[1, }"));
        assertTrue(e.getMessage().contains("offset 4"), e.getMessage());
        final IllegalArgumentException trailing = assertThrows(IllegalArgumentException.class,
            () -> BenchResult.fromJmhJson("[] []"));
        assertTrue(trailing.getMessage().contains("offset 3"), trailing.getMessage());
    }

    @Test
    void shouldRefuseAResultWithoutItsBenchmarkOrMetric()
    {
        final IllegalArgumentException notArray = assertThrows(IllegalArgumentException.class, () -> BenchResult.fromJmhJson("{}"));
        assertTrue(notArray.getMessage().contains("expected an array"), notArray.getMessage());
        final IllegalArgumentException noName = assertThrows(IllegalArgumentException.class,
            () -> BenchResult.fromJmhJson("[{\"mode\":\"avgt\"}]"));
        assertTrue(noName.getMessage().contains("result 0 has no \"benchmark\""), noName.getMessage());
        final IllegalArgumentException noMetric = assertThrows(IllegalArgumentException.class,
            () -> BenchResult.fromJmhJson("[{\"benchmark\":\"a.B.c\",\"mode\":\"avgt\"}]"));
        assertTrue(noMetric.getMessage().contains("has no primaryMetric"), noMetric.getMessage());
    }
}
