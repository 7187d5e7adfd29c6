package io.tessera;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class TesseraActorsTest
{
    static volatile CountDownLatch STARTED = new CountDownLatch(1);
    static final CountDownLatch NEVER = new CountDownLatch(1);
    static final CountDownLatch GATE = new CountDownLatch(1);

    @BeforeEach
    void start()
    {
        Tessera.init(TesseraConfig.builder().cpus(2).objectStoreBytes(64L << 20).build());
    }

    @AfterEach
    void stop()
    {
        Tessera.shutdown();
    }

    public static class Counter
    {
        private int value;
        private final List<Integer> seen = new ArrayList<>();

        public Counter(int start)
        {
            value = start;
        }

        public int add(int delta)
        {
            value += delta;
            seen.add(delta);
            return value;
        }

        public List<Integer> seen()
        {
            return List.copyOf(seen);
        }

        public int fail(String why)
        {
            throw new IllegalArgumentException(why);
        }

        public int crash()
        {
            throw new InternalError("simulated crash");
        }

        public int value()
        {
            return value;
        }

        public int block() throws InterruptedException
        {
            STARTED.countDown();
            NEVER.await();
            return value;
        }
    }

    public static class Broken
    {
        public Broken()
        {
            throw new IllegalStateException("no config found");
        }

        public int ping()
        {
            return 1;
        }
    }

    @Resources(gpus = 1)
    public static class GpuActor
    {
        public int ping()
        {
            return 1;
        }
    }

    static int useCounter(ActorHandle<Counter> c, int delta)
    {
        return c.task(Counter::add, delta).remote().get();
    }

    @Test
    void shouldRunMethodsOneAtATimeInCallOrder()
    {
        final ActorHandle<Counter> c = Tessera.actor(Counter::new, 10).remote();
        final List<ObjectRef<Integer>> refs = new ArrayList<>();
        for (int i = 1; i <= 1000; i++)
        {
            refs.add(c.task(Counter::add, i).remote());
        }
        assertEquals(10 + 1000 * 1001 / 2, refs.getLast().get());
        final List<Integer> seen = c.task(Counter::seen).remote().get();
        for (int i = 0; i < 1000; i++)
        {
            assertEquals(i + 1, seen.get(i));
        }
    }

    @Test
    void shouldKeepOrderWhenAnEarlierCallWaitsOnADependency()
    {
        final ActorHandle<Counter> c = Tessera.actor(Counter::new, 0).remote();
        final ObjectRef<Integer> slow = Tessera.task(TesseraActorsTest::await, 5).remote();
        final ObjectRef<Integer> first = c.task(Counter::add, slow).remote();
        final ObjectRef<Integer> second = c.task(Counter::add, 1).remote();
        assertThrows(GetTimeoutException.class, () -> second.get(Duration.ofMillis(30)));
        GATE.countDown();
        assertEquals(5, first.get());
        assertEquals(6, second.get());
    }

    static int await(int v) throws InterruptedException
    {
        GATE.await();
        return v;
    }

    @Test
    void shouldSurviveAMethodThatThrows()
    {
        final ActorHandle<Counter> c = Tessera.actor(Counter::new, 1).remote();
        final TaskException e = assertThrows(TaskException.class, () -> c.task(Counter::fail, "bad input").remote().get());
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        assertEquals("bad input", e.getCause().getMessage());
        assertEquals(3, c.task(Counter::add, 2).remote().get());
    }

    @Test
    void shouldFailEveryCallWhenTheConstructorThrows()
    {
        final ActorHandle<Broken> b = Tessera.actor(Broken::new).remote();
        final ActorDiedException e = assertThrows(ActorDiedException.class, () -> b.task(Broken::ping).remote().get());
        assertTrue(e.getMessage().contains("no config found"), e.getMessage());
        assertThrows(ActorDiedException.class, () -> b.task(Broken::ping).remote().get());
    }

    @Test
    void shouldFailCallsOnKilledActorIncludingTheOneInFlight() throws Exception
    {
        final ActorHandle<Counter> c = Tessera.actor(Counter::new, 0).remote();
        STARTED = new CountDownLatch(1);
        final ObjectRef<Integer> inFlight = c.task(Counter::block).remote();
        final ObjectRef<Integer> queued = c.task(Counter::add, 1).remote();
        STARTED.await();
        c.kill();
        assertThrows(ActorDiedException.class, () -> inFlight.get(Duration.ofSeconds(5)));
        assertThrows(ActorDiedException.class, () -> queued.get(Duration.ofSeconds(5)));
        assertThrows(ActorDiedException.class, () -> c.task(Counter::add, 1).remote().get(Duration.ofSeconds(5)));
    }

    @Test
    void shouldRestartAfterCrashUpToMaxRestarts()
    {
        final ActorHandle<Counter> c = Tessera.actor(Counter::new, 100).options(o -> o.maxRestarts(1)).remote();
        assertEquals(101, c.task(Counter::add, 1).remote().get());
        assertThrows(ActorDiedException.class, () -> c.task(Counter::crash).remote().get());
        assertEquals(100, c.task(Counter::value).remote().get(), "state is re-created by the constructor");
        assertThrows(ActorDiedException.class, () -> c.task(Counter::crash).remote().get());
        final ActorDiedException dead = assertThrows(ActorDiedException.class, () -> c.task(Counter::value).remote().get());
        assertTrue(dead.getMessage().contains("no restarts left"), dead.getMessage());
    }

    @Test
    void shouldFindNamedActorsAndKeepNamesUniqueWhileAlive()
    {
        final ActorHandle<Counter> c = Tessera.actor(Counter::new, 5).options(o -> o.name("global-counter")).remote();
        final Optional<ActorHandle<Counter>> found = Tessera.getActor("global-counter", Counter.class);
        assertTrue(found.isPresent());
        assertEquals(6, found.get().task(Counter::add, 1).remote().get());
        assertThrows(IllegalArgumentException.class,
            () -> Tessera.actor(Counter::new, 0).options(o -> o.name("global-counter")).remote());
        assertThrows(IllegalArgumentException.class, () -> Tessera.getActor("global-counter", Broken.class));
        assertTrue(Tessera.getActor("nobody", Counter.class).isEmpty());
        c.kill();
        assertTrue(Tessera.getActor("global-counter", Counter.class).isEmpty());
        final ActorHandle<Counter> again = Tessera.actor(Counter::new, 0).options(o -> o.name("global-counter")).remote();
        assertEquals(1, again.task(Counter::add, 1).remote().get());
    }

    @Test
    void shouldKeepNamesApartInEachNamespace()
    {
        final ActorHandle<Counter> mine = Tessera.actor(Counter::new, 10).options(o -> o.name("counter")).remote();
        final ActorHandle<Counter> team = Tessera.actor(Counter::new, 100).options(o -> o.name("counter").namespace("team")).remote();
        assertEquals(11, Tessera.getActor("counter", Counter.class).orElseThrow().task(Counter::add, 1).remote().get(),
            "getActor(name) looks in this job's namespace");
        assertEquals(101, Tessera.getActor("counter", "team", Counter.class).orElseThrow().task(Counter::add, 1).remote().get());
        assertTrue(Tessera.getActor("counter", "elsewhere", Counter.class).isEmpty());
        assertEquals("team", Tessera.state().actor(team.id()).orElseThrow().namespace(), "the state API shows the namespace");
        assertTrue(Tessera.state().actor(mine.id()).orElseThrow().namespace().startsWith("anonymous-"),
            "a job without a configured namespace has an anonymous one");
        final IllegalArgumentException taken = assertThrows(IllegalArgumentException.class,
            () -> Tessera.actor(Counter::new, 0).options(o -> o.name("counter").namespace("team")).remote());
        assertTrue(taken.getMessage().contains("namespace 'team'"), taken.getMessage());
        team.kill();
        assertTrue(Tessera.getActor("counter", "team", Counter.class).isEmpty());
        assertEquals(12, mine.task(Counter::add, 1).remote().get(), "killing the other namespace's actor left this one");
        assertTrue(Tessera.getActor("counter", Counter.class).isPresent());
        assertThrows(IllegalArgumentException.class, () -> Tessera.getActor("counter", " ", Counter.class));
        assertThrows(IllegalArgumentException.class, () -> Tessera.actor(Counter::new, 0).options(o -> o.namespace("")).remote());
        final IllegalArgumentException unnamed = assertThrows(IllegalArgumentException.class,
            () -> Tessera.actor(Counter::new, 0).options(o -> o.namespace("team")).remote());
        assertTrue(unnamed.getMessage().contains("name"), unnamed.getMessage());
    }

    @Test
    void shouldUseTheConfiguredNamespaceInTheDriverAndInItsTasks()
    {
        Tessera.shutdown();
        Tessera.init(TesseraConfig.builder().cpus(2).objectStoreBytes(64L << 20).namespace("ns").build());
        Tessera.actor(Counter::new, 7).options(o -> o.name("shared")).remote();
        assertEquals(8, Tessera.getActor("shared", "ns", Counter.class).orElseThrow().task(Counter::add, 1).remote().get());
        assertEquals(9, Tessera.task(TesseraActorsTest::addToNamed, "shared", 1).remote().get(),
            "a task looks names up in its job's namespace");
    }

    static int addToNamed(String name, int n)
    {
        return Tessera.getActor(name, Counter.class).orElseThrow().task(Counter::add, n).remote().get();
    }

    @Test
    void shouldRequireANameForADetachedActorAndEndItOnKill()
    {
        final IllegalArgumentException unnamed = assertThrows(IllegalArgumentException.class,
            () -> Tessera.actor(Counter::new, 0).options(o -> o.lifetime(ActorLifetime.DETACHED)).remote());
        assertTrue(unnamed.getMessage().contains("detached actor must be named"), unnamed.getMessage());
        final ActorHandle<Counter> d = Tessera.actor(Counter::new, 1)
            .options(o -> o.name("keeper").namespace("ops").lifetime(ActorLifetime.DETACHED)).remote();
        assertEquals(2, Tessera.getActor("keeper", "ops", Counter.class).orElseThrow().task(Counter::add, 1).remote().get());
        d.kill();
        assertTrue(Tessera.getActor("keeper", "ops", Counter.class).isEmpty());
        assertThrows(ActorDiedException.class, () -> d.task(Counter::value).remote().get());
    }

    @Test
    void shouldPassHandlesToTasks()
    {
        final ActorHandle<Counter> c = Tessera.actor(Counter::new, 0).remote();
        assertEquals(3, Tessera.task(TesseraActorsTest::useCounter, c, 3).remote().get());
        assertEquals(3, c.task(Counter::value).remote().get());
    }

    @Test
    void shouldFailInfeasibleActorWithActorDiedCausedByInfeasible()
    {
        final ActorHandle<GpuActor> g = Tessera.actor(GpuActor::new).remote();
        final ActorDiedException e = assertThrows(ActorDiedException.class, () -> g.task(GpuActor::ping).remote().get());
        assertInstanceOf(InfeasibleTaskException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("GPU"), e.getCause().getMessage());
    }

    @Test
    void shouldHostTenThousandActorsOnAFewThreads()
    {
        final List<ActorHandle<Counter>> actors = new ArrayList<>();
        for (int i = 0; i < 10_000; i++)
        {
            actors.add(Tessera.actor(Counter::new, i).remote());
        }
        final List<ObjectRef<Integer>> refs = new ArrayList<>();
        for (ActorHandle<Counter> a : actors)
        {
            refs.add(a.task(Counter::add, 1).remote());
        }
        final List<Integer> values = Tessera.get(refs);
        for (int i = 0; i < values.size(); i++)
        {
            assertEquals(i + 1, values.get(i));
        }
        final long workers = Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith("tessera-worker")).count();
        assertTrue(workers < 64, "10 000 actors ran on " + workers + " worker threads");
    }
}
