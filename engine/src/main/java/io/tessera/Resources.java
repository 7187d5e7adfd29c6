package io.tessera;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Resources a task (on a static method) or an actor (on its class) needs. Unset fields keep the
 * defaults: a task holds 1 CPU while it runs, an actor 0 CPUs for its life. Per-call options
 * override this field by field.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Resources
{
    /**
     * CPUs held while running.
     *
     * @return the amount; negative means unset.
     */
    double cpus() default -1;

    /**
     * GPUs held while running (fractions share a device).
     *
     * @return the amount; negative means unset.
     */
    double gpus() default -1;

    /**
     * Memory reserved while running, in bytes.
     *
     * @return the amount; negative means unset.
     */
    long memoryBytes() default -1;

    /**
     * Custom resources.
     *
     * @return entries {@code "name=amount"}, e.g. {@code "accelerator:H100=1"}; none by default.
     */
    String[] resources() default {};
}
