package io.tessera.internal;

import io.tessera.Resources;

import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;

/**
 * What the engine knows of a function object, resolved once per lambda class: a readable name, the
 * {@link Resources} of the method it refers to (or of the actor class a constructor makes), and
 * the class a constructor returns.
 */
final class FnInfo {
    private static final ClassValue<FnInfo[]> CACHE = new ClassValue<>() {
        @Override
        protected FnInfo[] computeValue(Class<?> type) {
            return new FnInfo[1];
        }
    };

    final String name;
    final Resources methodResources;
    final Class<?> returnClass;
    private volatile io.tessera.scheduler.ResourceRequest taskRequest;

    private FnInfo(String name, Resources methodResources, Class<?> returnClass) {
        this.name = name;
        this.methodResources = methodResources;
        this.returnClass = returnClass;
    }

    static FnInfo of(Object fn) {
        final FnInfo[] slot = CACHE.get(fn.getClass());
        FnInfo info = slot[0];
        if (info == null) {
            info = resolve(fn);
            slot[0] = info;
        }
        return info;
    }

    /** The request of a task of this function without per-call options (cached). */
    io.tessera.scheduler.ResourceRequest taskRequest(LocalRuntime runtime) {
        io.tessera.scheduler.ResourceRequest r = taskRequest;
        if (r == null) {
            r = runtime.defaultTaskRequest(methodResources);
            taskRequest = r;
        }
        return r;
    }

    /** The {@link Resources} on the actor class this constructor makes, or null. */
    Resources classResources() {
        return returnClass == null ? null : returnClass.getAnnotation(Resources.class);
    }

    private static FnInfo resolve(Object fn) {
        final Class<?> type = fn.getClass();
        final SerializedLambda lambda = serializedLambda(fn);
        if (lambda == null) {
            return new FnInfo(type.getName(), null, null);
        }
        final ClassLoader loader = type.getClassLoader();
        final Class<?> impl = load(lambda.getImplClass(), loader);
        final String implName = lambda.getImplMethodName();
        Class<?> returned = null;
        try {
            returned = MethodType.fromMethodDescriptorString(lambda.getInstantiatedMethodType(), loader).returnType();
        } catch (RuntimeException ignored) {
            // a type the loader cannot see: no class-level annotation to read
        }
        if ("<init>".equals(implName)) {
            final Class<?> made = impl != null ? impl : returned;
            return new FnInfo(simple(lambda.getImplClass()) + "::new", null, made);
        }
        final String name = simple(lambda.getImplClass()) + "." + (implName.startsWith("lambda$") ? "lambda" : implName);
        Resources res = null;
        if (impl != null) {
            res = annotation(findMethod(impl, implName, lambda.getImplMethodSignature()));
        }
        return new FnInfo(name, res, returned == Object.class ? null : returned);
    }

    private static Resources annotation(AnnotatedElement e) {
        return e == null ? null : e.getAnnotation(Resources.class);
    }

    private static Method findMethod(Class<?> c, String name, String descriptor) {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            for (Method m : k.getDeclaredMethods()) {
                if (m.getName().equals(name)
                    && MethodType.methodType(m.getReturnType(), m.getParameterTypes()).toMethodDescriptorString().equals(descriptor)) {
                    return m;
                }
            }
        }
        return null;
    }

    static SerializedLambda serializedLambda(Object fn) {
        try {
            final Method m = fn.getClass().getDeclaredMethod("writeReplace");
            m.setAccessible(true);
            final Object r = m.invoke(fn);
            return r instanceof SerializedLambda s ? s : null;
        } catch (ReflectiveOperationException | RuntimeException ex) {
            return null;
        }
    }

    private static Class<?> load(String internalName, ClassLoader loader) {
        try {
            return Class.forName(internalName.replace('/', '.'), false, loader);
        } catch (ClassNotFoundException | LinkageError ex) {
            return null;
        }
    }

    private static String simple(String internalName) {
        final String n = internalName.substring(internalName.lastIndexOf('/') + 1);
        return n.substring(n.lastIndexOf('$') + 1);
    }
}
