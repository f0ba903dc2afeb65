package dev.weft.samples.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every {@code ```java} block of a doc page, and of the README, must appear line for line
 * (indentation and blank lines aside) in the test class that compiles and runs it. A doc example
 * that drifts from the API fails the build here instead of misleading a reader.
 */
class DocSnippetsMatchTest {

    @ParameterizedTest(name = "{0} matches {1}")
    @CsvSource({
        "../README.md, src/test/java/dev/weft/samples/docs/ReadmeExamplesTest.java, 3",
        "../docs/scope.md, src/test/java/dev/weft/samples/docs/ScopeDocExamplesTest.java, 7",
        "../docs/context.md, src/test/java/dev/weft/samples/docs/ContextDocExamplesTest.java, 5",
        "../docs/semaphore.md, src/test/java/dev/weft/samples/docs/SemaphoreDocExamplesTest.java, 2",
        "../docs/time.md, src/test/java/dev/weft/samples/docs/TimeDocExamplesTest.java, 7",
        "../docs/retry.md, src/test/java/dev/weft/samples/docs/RetryDocExamplesTest.java, 7",
        "../docs/parallel.md, src/test/java/dev/weft/samples/docs/ParallelDocExamplesTest.java, 5",
        "../docs/channels.md, src/test/java/dev/weft/samples/docs/ChannelsDocExamplesTest.java, 5",
    })
    void everyJavaBlockOfThePageIsCompiledAndRunByItsTest(String page, String source, int minimumBlocks)
            throws IOException {
        List<List<String>> blocks = javaBlocks(Files.readAllLines(Path.of(page)));
        List<String> code = normalize(Files.readAllLines(Path.of(source)));
        assertTrue(blocks.size() >= minimumBlocks,
                page + " should have at least " + minimumBlocks + " java blocks, found " + blocks.size());
        for (List<String> block : blocks) {
            assertTrue(containsRun(code, normalize(block)),
                    "this block of " + page + " is not (or no longer) in " + source + ":\n" + String.join("\n", block));
        }
    }

    private static List<List<String>> javaBlocks(List<String> lines) {
        List<List<String>> blocks = new ArrayList<>();
        List<String> current = null;
        for (String line : lines) {
            if (current == null && line.strip().equals("```java")) {
                current = new ArrayList<>();
            } else if (current != null && line.strip().equals("```")) {
                blocks.add(current);
                current = null;
            } else if (current != null) {
                current.add(line);
            }
        }
        return blocks;
    }

    private static List<String> normalize(List<String> lines) {
        return lines.stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    private static boolean containsRun(List<String> haystack, List<String> needle) {
        if (needle.isEmpty()) {
            return true;
        }
        for (int i = 0; i + needle.size() <= haystack.size(); i++) {
            if (haystack.subList(i, i + needle.size()).equals(needle)) {
                return true;
            }
        }
        return false;
    }
}
