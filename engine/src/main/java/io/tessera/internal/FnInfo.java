package io.tessera.internal;

import io.tessera.Resources;
import io.tessera.scheduler.ResourceRequest;

import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the engine knows of a function object, resolved once per lambda class: a readable name, the
 * {@link Resources} of the method it refers to (or of the actor class a constructor makes), and
 * the class a constructor returns; and the resource request of a call of it.
 */
final class FnInfo
{
    private static final ResourceRequest DEFAULT_TASK = ResourceRequest.builder().cpus(1).build();

    private static final ClassValue<FnInfo[]> CACHE = new ClassValue<>()
    {
        @Override
        protected FnInfo[] computeValue(Class<?> type)
        {
            return new FnInfo[1];
        }
    };

    final String name;
    final Resources methodResources;
    final Class<?> returnClass;
    private volatile ResourceRequest taskRequest;

    private FnInfo(String name, Resources methodResources, Class<?> returnClass)
    {
        this.name = name;
        this.methodResources = methodResources;
        this.returnClass = returnClass;
    }

    static FnInfo of(Object fn)
    {
        final FnInfo[] slot = CACHE.get(fn.getClass());
        FnInfo info = slot[0];
        if (info == null)
        {
            info = resolve(fn);
            slot[0] = info;
        }
        return info;
    }

    /** The request of a task of this function: per-call options over its {@link Resources}; cached without options. */
    ResourceRequest taskRequest(CallSpec spec)
    {
        if (spec != null)
        {
            return request(spec, methodResources, 1);
        }
        ResourceRequest r = taskRequest;
        if (r == null)
        {
            r = methodResources == null ? DEFAULT_TASK : request(new CallSpec(), methodResources, 1);
            taskRequest = r;
        }
        return r;
    }

    /** The lifetime request of the actor this constructor makes: options over its class's {@link Resources}. */
    ResourceRequest actorRequest(CallSpec spec)
    {
        return request(spec, returnClass == null ? null : returnClass.getAnnotation(Resources.class), 0);
    }

    private static ResourceRequest request(CallSpec spec, Resources ann, double defaultCpus)
    {
        final ResourceRequest.Builder b = ResourceRequest.builder();
        b.cpus(!Double.isNaN(spec.cpus) ? spec.cpus : ann != null && ann.cpus() >= 0 ? ann.cpus() : defaultCpus);
        b.gpus(!Double.isNaN(spec.gpus) ? spec.gpus : ann != null && ann.gpus() >= 0 ? ann.gpus() : 0);
        b.memoryBytes(spec.memoryBytes >= 0 ? spec.memoryBytes : ann != null && ann.memoryBytes() >= 0 ? ann.memoryBytes() : 0);
        final Map<String, Double> custom = new LinkedHashMap<>();
        if (ann != null)
        {
            for (String r : ann.resources())
            {
                final int eq = r.lastIndexOf('=');
                if (eq <= 0)
                {
                    throw new IllegalArgumentException("@Resources(resources) entries are \"name=amount\", got \"" + r + "\"");
                }
                custom.put(r.substring(0, eq).trim(), Double.parseDouble(r.substring(eq + 1).trim()));
            }
        }
        custom.putAll(spec.custom);
        custom.forEach(b::resource);
        return b.build();
    }

    private static FnInfo resolve(Object fn)
    {
        final Class<?> type = fn.getClass();
        final SerializedLambda lambda = serializedLambda(fn);
        if (lambda == null)
        {
            return new FnInfo(type.getName(), null, null);
        }
        final ClassLoader loader = type.getClassLoader();
        final Class<?> impl = load(lambda.getImplClass(), loader);
        final String implName = lambda.getImplMethodName();
        Class<?> returned = null;
        try
        {
            returned = MethodType.fromMethodDescriptorString(lambda.getInstantiatedMethodType(), loader).returnType();
        }
        catch (RuntimeException ignored)
        {
            // a type the loader cannot see: no class-level annotation to read
        }
        if ("<init>".equals(implName))
        {
            final Class<?> made = impl != null ? impl : returned;
            return new FnInfo(simple(lambda.getImplClass()) + "::new", null, made);
        }
        final String name = simple(lambda.getImplClass()) + "." + (implName.startsWith("lambda$") ? "lambda" : implName);
        Resources res = null;
        if (impl != null)
        {
            res = annotation(findMethod(impl, implName, lambda.getImplMethodSignature()));
        }
        return new FnInfo(name, res, returned == Object.class ? null : returned);
    }

    private static Resources annotation(AnnotatedElement e)
    {
        return e == null ? null : e.getAnnotation(Resources.class);
    }

    private static Method findMethod(Class<?> c, String name, String descriptor)
    {
        for (Class<?> k = c; k != null; k = k.getSuperclass())
        {
            for (Method m : k.getDeclaredMethods())
            {
                if (m.getName().equals(name)
                    && MethodType.methodType(m.getReturnType(), m.getParameterTypes()).toMethodDescriptorString().equals(descriptor))
                {
                    return m;
                }
            }
        }
        return null;
    }

    static SerializedLambda serializedLambda(Object fn)
    {
        try
        {
            final Method m = fn.getClass().getDeclaredMethod("writeReplace");
            m.setAccessible(true);
            final Object r = m.invoke(fn);
            return r instanceof SerializedLambda s ? s : null;
        }
        catch (ReflectiveOperationException | RuntimeException ex)
        {
            return null;
        }
    }

    private static Class<?> load(String internalName, ClassLoader loader)
    {
        try
        {
            return Class.forName(internalName.replace('/', '.'), false, loader);
        }
        catch (ClassNotFoundException | LinkageError ex)
        {
            return null;
        }
    }

    private static String simple(String internalName)
    {
        final String n = internalName.substring(internalName.lastIndexOf('/') + 1);
        return n.substring(n.lastIndexOf('$') + 1);
    }
}
