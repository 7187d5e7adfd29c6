package io.tessera;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.attribute.PermittedSubclassesAttribute;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.classfile.constantpool.StringEntry;
import java.lang.classfile.constantpool.Utf8Entry;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dependencies between the engine's source files point one way: no file depends, directly or through
 * others, on a file that depends on it. Read from the compiled classes with {@code java.lang.classfile}:
 * a file's dependencies are every engine class its classes' constant pools name (types, descriptors,
 * generic signatures, annotations; not string literals), nested classes counted as their file. A sealed
 * type's {@code permits} list is not counted: it is how the language closes a hierarchy, not a use.
 */
class ArchitectureTest
{
    private static final Pattern TYPE = Pattern.compile("L(io/tessera/[\\w/$]+)[;<]");

    private static Map<String, Set<String>> files;

    @BeforeAll
    static void readClasses() throws IOException, URISyntaxException
    {
        final Path root = Path.of(Tessera.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.isDirectory(root.resolve("io/tessera")), "engine classes expected in a directory, found " + root);
        files = fileGraph(root);
    }

    @Test
    void shouldReadTheWholeEngine()
    {
        assertTrue(files.keySet().containsAll(Set.of("io/tessera/Tessera", "io/tessera/internal/LocalRuntime",
            "io/tessera/internal/cluster/ClusterMember", "io/tessera/cli/Main")), files.keySet().toString());
        assertTrue(files.get("io/tessera/TaskCall").contains("io/tessera/internal/Node"), files.get("io/tessera/TaskCall").toString());
    }

    @Test
    void shouldHaveNoCyclesBetweenFiles()
    {
        assertEquals(List.of(), cycles(files), "files that depend on each other, directly or through the others");
    }

    @Test
    void shouldKeepThePackagesBelowTheApiFreeOfCycles()
    {
        // io.tessera itself is left out: the contract puts the exceptions and options every package throws and reads
        // in it, and also the handles the node makes (ObjectRef, ActorHandle, TaskCall) and that call the node back
        final Map<String, Set<String>> packages = new TreeMap<>();
        files.forEach((file, deps) ->
        {
            final String from = packageOf(file);
            if (!from.equals("io/tessera"))
            {
                final Set<String> to = packages.computeIfAbsent(from, k -> new TreeSet<>());
                deps.stream().map(ArchitectureTest::packageOf).filter(p -> !p.equals(from) && !p.equals("io/tessera")).forEach(to::add);
            }
        });
        assertTrue(packages.containsKey("io/tessera/internal/cluster"), packages.toString());
        assertEquals(List.of(), cycles(packages), "packages that depend on each other: " + packages);
    }

    @Test
    void shouldFindEveryCycleOfAGraph()
    {
        final Map<String, Set<String>> g = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a", "d"),
            "d", Set.of(), "e", Set.of("e", "d"));
        assertEquals(List.of(Set.of("a", "b", "c")), cycles(g));
    }

    /** Each file (top-level class, as its internal name) and the other engine files it depends on. */
    private static Map<String, Set<String>> fileGraph(Path root) throws IOException
    {
        final Map<String, String> fileOf = new HashMap<>();
        final Map<String, Set<String>> named = new HashMap<>();
        try (Stream<Path> all = Files.walk(root))
        {
            // the module descriptor is no class: it names packages, not files
            for (Path p : all.filter(f -> f.toString().endsWith(".class") && !f.endsWith("module-info.class")).toList())
            {
                final ClassModel model = ClassFile.of().parse(p);
                final String self = model.thisClass().asInternalName();
                fileOf.put(self, model.findAttribute(Attributes.nestHost()).map(h -> h.nestHost().asInternalName()).orElse(self));
                named.put(self, namedTypes(model));
            }
        }
        final Map<String, Set<String>> graph = new TreeMap<>();
        named.forEach((cls, types) ->
        {
            final String file = fileOf.get(cls);
            final Set<String> deps = graph.computeIfAbsent(file, k -> new TreeSet<>());
            types.stream().map(fileOf::get).filter(f -> f != null && !f.equals(file)).forEach(deps::add);
        });
        return graph;
    }

    /** The classes a class file names, its {@code permits} list left out (the class is rebuilt without it, on a fresh pool). */
    private static Set<String> namedTypes(ClassModel model)
    {
        ClassModel m = model;
        if (model.findAttribute(Attributes.permittedSubclasses()).isPresent())
        {
            final ClassFile cf = ClassFile.of(ClassFile.ConstantPoolSharingOption.NEW_POOL, ClassFile.StackMapsOption.DROP_STACK_MAPS);
            m = cf.parse(cf.transformClass(model, ClassTransform.dropping(e -> e instanceof PermittedSubclassesAttribute)));
        }
        final Set<Integer> literals = new HashSet<>();
        for (PoolEntry e : m.constantPool())
        {
            if (e instanceof StringEntry s)
            {
                literals.add(s.utf8().index());
            }
        }
        final Set<String> types = new HashSet<>();
        for (PoolEntry e : m.constantPool())
        {
            if (e instanceof ClassEntry c && !c.asInternalName().startsWith("["))
            {
                types.add(c.asInternalName());
            }
            else if (e instanceof Utf8Entry u && !literals.contains(u.index()))
            {
                final Matcher t = TYPE.matcher(u.stringValue());
                while (t.find())
                {
                    types.add(t.group(1));
                }
            }
        }
        return types;
    }

    private static String packageOf(String internalName)
    {
        return internalName.substring(0, internalName.lastIndexOf('/'));
    }

    /** The strongly connected components of more than one node (Tarjan), each sorted, in a stable order. */
    static List<Set<String>> cycles(Map<String, Set<String>> graph)
    {
        final Tarjan t = new Tarjan(graph);
        new TreeSet<>(graph.keySet()).forEach(v ->
        {
            if (!t.index.containsKey(v))
            {
                t.visit(v);
            }
        });
        return t.components.stream().filter(c -> c.size() > 1).sorted((a, b) -> a.toString().compareTo(b.toString())).toList();
    }

    private static final class Tarjan
    {
        final Map<String, Set<String>> graph;
        final Map<String, Integer> index = new HashMap<>();
        final Map<String, Integer> low = new HashMap<>();
        final Deque<String> stack = new ArrayDeque<>();
        final Set<String> onStack = new HashSet<>();
        final List<Set<String>> components = new ArrayList<>();

        Tarjan(Map<String, Set<String>> graph)
        {
            this.graph = graph;
        }

        void visit(String v)
        {
            index.put(v, index.size());
            low.put(v, index.get(v));
            stack.push(v);
            onStack.add(v);
            for (String w : graph.getOrDefault(v, Set.of()))
            {
                if (!index.containsKey(w))
                {
                    visit(w);
                    low.put(v, Math.min(low.get(v), low.get(w)));
                }
                else if (onStack.contains(w))
                {
                    low.put(v, Math.min(low.get(v), index.get(w)));
                }
            }
            if (low.get(v).equals(index.get(v)))
            {
                final Set<String> component = new TreeSet<>();
                String w;
                do
                {
                    w = stack.pop();
                    onStack.remove(w);
                    component.add(w);
                }
                while (!w.equals(v));
                components.add(component);
            }
        }
    }
}
