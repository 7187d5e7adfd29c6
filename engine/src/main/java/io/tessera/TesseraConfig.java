package io.tessera;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How {@link Tessera#init(TesseraConfig)} starts or joins a node. Unset values come from system
 * properties ({@code tessera.address}, {@code tessera.objectStoreBytes}, {@code tessera.token}),
 * then the environment ({@code TESSERA_ADDRESS}, {@code TESSERA_OBJECT_STORE_BYTES},
 * {@code TESSERA_TOKEN}), then defaults.
 */
public final class TesseraConfig {
    /** Default object store size: 1 GiB of shared memory (pages are only used when written). */
    public static final long DEFAULT_OBJECT_STORE_BYTES = 1L << 30;

    private final String address;
    private final long objectStoreBytes;
    private final String token;
    private final double cpus;
    private final double gpus;
    private final Map<String, Double> resources;
    private final List<Class<?>> registeredClasses;
    private final Path storeDirectory;
    private final Path spillDirectory;

    private TesseraConfig(Builder b) {
        address = b.address != null ? b.address : setting("tessera.address", "TESSERA_ADDRESS");
        final String bytes = setting("tessera.objectStoreBytes", "TESSERA_OBJECT_STORE_BYTES");
        objectStoreBytes = b.objectStoreBytes > 0 ? b.objectStoreBytes
            : bytes != null ? parseBytes(bytes) : DEFAULT_OBJECT_STORE_BYTES;
        token = b.token != null ? b.token : setting("tessera.token", "TESSERA_TOKEN");
        cpus = b.cpus;
        gpus = b.gpus;
        resources = Collections.unmodifiableMap(new LinkedHashMap<>(b.resources));
        registeredClasses = List.copyOf(b.registered);
        storeDirectory = b.storeDirectory;
        spillDirectory = b.spillDirectory;
    }

    private static String setting(String property, String env) {
        final String p = System.getProperty(property);
        if (p != null && !p.isBlank()) {
            return p.trim();
        }
        final String e = System.getenv(env);
        return e != null && !e.isBlank() ? e.trim() : null;
    }

    /**
     * Parses a size such as {@code 1073741824}, {@code 512m} or {@code 2g}.
     *
     * @throws IllegalArgumentException naming the text when it is not a size
     */
    public static long parseBytes(String text) {
        final String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        long unit = 1;
        String digits = t;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'k' -> unit = 1L << 10;
                case 'm' -> unit = 1L << 20;
                case 'g' -> unit = 1L << 30;
                case 't' -> unit = 1L << 40;
                default -> unit = 1;
            }
            if (unit != 1) {
                digits = t.substring(0, t.length() - 1);
            }
        }
        try {
            final long n = Long.parseLong(digits);
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(n, unit);
        } catch (NumberFormatException | ArithmeticException ex) {
            throw new IllegalArgumentException("not a positive size: '" + text + "' (expected e.g. 1073741824, 512m, 2g)");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Head address HOST:PORT, or null for an embedded node. */
    public String address() {
        return address;
    }

    public long objectStoreBytes() {
        return objectStoreBytes;
    }

    public String token() {
        return token;
    }

    /** CPUs of this node; NaN = number of available processors. */
    public double cpus() {
        return cpus;
    }

    /** GPUs of this node; NaN = the devices found. */
    public double gpus() {
        return gpus;
    }

    public Map<String, Double> resources() {
        return resources;
    }

    public List<Class<?>> registeredClasses() {
        return registeredClasses;
    }

    /** Where the store's shared-memory file lives (in this user's 0700 {@code tessera-<uid>} inside it); null = /dev/shm. */
    public Path storeDirectory() {
        return storeDirectory;
    }

    /** Where primary copies spill when the store is full (in this user's 0700 {@code tessera-<uid>} inside it); null = the temp directory. */
    public Path spillDirectory() {
        return spillDirectory;
    }

    /** Builder of {@link TesseraConfig}. */
    public static final class Builder {
        private String address;
        private long objectStoreBytes;
        private String token;
        private double cpus = Double.NaN;
        private double gpus = Double.NaN;
        private final Map<String, Double> resources = new LinkedHashMap<>();
        private final List<Class<?>> registered = new ArrayList<>();
        private Path storeDirectory;
        private Path spillDirectory;

        private Builder() {
        }

        public Builder address(String address) {
            this.address = address;
            return this;
        }

        public Builder objectStoreBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("objectStoreBytes must be > 0, got " + bytes);
            }
            this.objectStoreBytes = bytes;
            return this;
        }

        public Builder token(String token) {
            this.token = token;
            return this;
        }

        public Builder cpus(double cpus) {
            this.cpus = ResourceOptions.checkAmount("cpus", cpus);
            return this;
        }

        public Builder gpus(double gpus) {
            this.gpus = ResourceOptions.checkAmount("gpus", gpus);
            return this;
        }

        public Builder resource(String name, double amount) {
            Objects.requireNonNull(name, "name");
            resources.put(name, ResourceOptions.checkAmount("resource '" + name + "'", amount));
            return this;
        }

        /** Pre-registers types with the serializer for speed; unregistered types work too. */
        public Builder register(Class<?>... classes) {
            registered.addAll(List.of(classes));
            return this;
        }

        public Builder storeDirectory(Path dir) {
            this.storeDirectory = dir;
            return this;
        }

        public Builder spillDirectory(Path dir) {
            this.spillDirectory = dir;
            return this;
        }

        public TesseraConfig build() {
            return new TesseraConfig(this);
        }
    }
}
