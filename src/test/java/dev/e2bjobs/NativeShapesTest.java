package dev.e2bjobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.e2bjobs.config.AppConfig;
import io.quarkus.funqy.Funq;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.io.IOException;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.junit.jupiter.api.Test;

/**
 * The native image keeps only what is registered for reflection, and Jackson reads and writes records
 * through reflection: every JSON shape must be registered, or the deployed function fails where the
 * JVM tests pass. The shapes are found, not listed: the types of every {@code @Funq} method and of every
 * REST client's bodies, every record and enum in the packages that hold wire and stored shapes
 * ({@code function}, {@code dynamodb}) except the few that never meet Jackson, and everything of ours
 * their components reach.
 */
class NativeShapesTest {
    /** Packages whose records and enums are JSON shapes unless named in {@link #NOT_JSON}. */
    private static final List<String> SHAPE_PACKAGES = List.of("dev.e2bjobs.function", "dev.e2bjobs.dynamodb");
    /** Records of those packages that Jackson never sees. */
    private static final Set<String> NOT_JSON = Set.of("dev.e2bjobs.function.HttpEdge$Result", "dev.e2bjobs.function.HttpRequest");

    @Test
    void everyJsonShapeIsRegisteredForReflection() throws Exception {
        List<Class<?>> classes = applicationClasses();
        assertTrue(classes.size() > 50, "the scan found the application's classes: " + classes.size());
        assertEquals(Set.of(), unregisteredShapes(classes),
                "JSON shapes the native image would not keep: annotate them @RegisterForReflection, or list them in the targets of one");
    }

    @Test
    void aShapeReturnedByAFunctionWithoutRegistrationIsFound() {
        assertEquals(Set.of(Planted.Unregistered.class.getName()), unregisteredShapes(List.of(Planted.class, Planted.Registered.class)));
    }

    @Test
    void aShapeInsideARegisteredOneIsFound() {
        assertEquals(Set.of(Planted.Inner.class.getName()), unregisteredShapes(List.of(Planted.Outer.class)));
    }

    @Test
    void aShapeListedInTheTargetsOfARegistrationCounts() {
        assertEquals(Set.of(), unregisteredShapes(List.of(Planted.class, Planted.Registered.class, Planted.Targets.class)));
    }

    /** The names of the JSON shapes among and reachable from {@code classes} that no registration covers. */
    static Set<String> unregisteredShapes(List<Class<?>> classes) {
        Set<Class<?>> registered = new HashSet<>();
        Deque<Type> todo = new ArrayDeque<>();
        for (Class<?> c : classes) {
            RegisterForReflection registration = c.getAnnotation(RegisterForReflection.class);
            if (registration != null) {
                if (registration.targets().length == 0 && registration.classNames().length == 0) {
                    registered.add(c);
                }
                registered.addAll(Arrays.asList(registration.targets()));
                for (String name : registration.classNames()) {
                    registered.add(load(name));
                }
                todo.add(c);
                todo.addAll(Arrays.asList(registration.targets()));
            }
            if ((c.isRecord() || c.isEnum()) && SHAPE_PACKAGES.contains(c.getPackageName()) && !NOT_JSON.contains(c.getName())) {
                todo.add(c);
            }
            for (Method m : c.getDeclaredMethods()) {
                if (m.isAnnotationPresent(Funq.class)) {
                    todo.add(m.getGenericReturnType());
                    todo.addAll(Arrays.asList(m.getGenericParameterTypes()));
                }
            }
            if (c.isInterface() && c.isAnnotationPresent(RegisterRestClient.class)) {
                for (Method m : c.getDeclaredMethods()) {
                    todo.add(m.getGenericReturnType());
                    // the body is the one parameter without a JAX-RS annotation (@PathParam, @QueryParam, ...)
                    Stream.of(m.getParameters()).filter(p -> p.getAnnotations().length == 0).map(Parameter::getParameterizedType)
                            .forEach(todo::add);
                }
            }
        }
        Set<Class<?>> seen = new HashSet<>();
        Set<String> missing = new TreeSet<>();
        while (!todo.isEmpty()) {
            Type type = todo.pop();
            if (type instanceof ParameterizedType p) {
                todo.add(p.getRawType());
                todo.addAll(Arrays.asList(p.getActualTypeArguments()));
            } else if (type instanceof GenericArrayType a) {
                todo.add(a.getGenericComponentType());
            } else if (type instanceof WildcardType w) {
                todo.addAll(Arrays.asList(w.getUpperBounds()));
            } else if (type instanceof Class<?> c && c.isArray()) {
                todo.add(c.getComponentType());
            } else if (type instanceof Class<?> c && ours(c) && (c.isRecord() || c.isEnum()) && seen.add(c)) {
                if (!registered.contains(c)) {
                    missing.add(c.getName());
                }
                if (c.isRecord()) {
                    Stream.of(c.getRecordComponents()).map(RecordComponent::getGenericType).forEach(todo::add);
                }
            }
        }
        return missing;
    }

    /** Our types only: the JDK's and Jackson's own (String, Instant, JsonNode, ...) have built-in handling. */
    private static boolean ours(Class<?> c) {
        return c.getName().startsWith("dev.e2bjobs.");
    }

    /** Every class compiled from src/main/java, loaded without initialising it. */
    private static List<Class<?>> applicationClasses() throws IOException, URISyntaxException {
        Path root = Path.of(AppConfig.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (Stream<Path> files = Files.walk(root.resolve("dev/e2bjobs"))) {
            return files.map(f -> root.relativize(f).toString()).filter(f -> f.endsWith(".class"))
                    .map(f -> f.substring(0, f.length() - ".class".length()).replace('/', '.').replace('\\', '.'))
                    .map(NativeShapesTest::load).toList();
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, NativeShapesTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Shapes planted to show that the scan finds what is missing. */
    static class Planted {
        @RegisterForReflection
        record Registered(String value) {
        }

        record Unregistered(String value) {
        }

        @RegisterForReflection
        record Outer(Inner inner) {
        }

        record Inner(String value) {
        }

        @RegisterForReflection(targets = Unregistered.class)
        static final class Targets {
        }

        @Funq
        public Unregistered planted(Registered in) {
            return new Unregistered(in.value());
        }
    }
}
