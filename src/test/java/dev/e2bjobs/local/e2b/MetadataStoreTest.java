package dev.e2bjobs.local.e2b;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Both metadata stores keep the same contract, so a tree without user xattrs behaves like one with them. */
class MetadataStoreTest {
    @TempDir
    Path dir;

    static Stream<MetadataStore> stores() {
        return Stream.of(new XattrMetadataStore(), new InodeMetadataStore());
    }

    private void assumeUsable(MetadataStore store) {
        assumeTrue(!(store instanceof XattrMetadataStore) || XattrMetadataStore.worksAt(dir), "the temp filesystem takes user xattrs");
    }

    @ParameterizedTest
    @MethodSource("stores")
    void replaceSetsTheWholeSetAndAFileWithoutAnyHasNone(MetadataStore store) throws Exception {
        assumeUsable(store);
        Path file = Files.writeString(dir.resolve("f"), "x");
        assertEquals(Map.of(), store.read(file));
        store.replace(file, Map.of("author", "mish", "purpose", "upload"));
        assertEquals(Map.of("author", "mish", "purpose", "upload"), store.read(file));
        store.replace(file, Map.of("author", "alice"));
        assertEquals(Map.of("author", "alice"), store.read(file));
        store.replace(file, Map.of());
        assertEquals(Map.of(), store.read(file));
    }

    @ParameterizedTest
    @MethodSource("stores")
    void metadataFollowsItsFileThroughRenamesWritesAndLinks(MetadataStore store) throws Exception {
        assumeUsable(store);
        Path file = Files.writeString(dir.resolve("before"), "x");
        store.replace(file, Map.of("k", "v"));
        Path renamed = Files.move(file, dir.resolve("after"));
        Files.writeString(renamed, "rewritten in place");
        assertEquals(Map.of("k", "v"), store.read(renamed));
        assertEquals(Map.of("k", "v"), store.read(Files.createSymbolicLink(dir.resolve("link"), renamed)));
        assertEquals(Map.of(), store.read(dir.resolve("missing")));
    }
}
