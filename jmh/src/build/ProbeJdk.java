import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Build-time probe, run by the jmh module's POM on the toolchain JDK as a single-file program:
 * {@code java ProbeJdk.java <out.properties> [auto|true|false]}.
 *
 * <p>Writes the properties that decide whether the preview source set (src/main/java25: the JDK's
 * StructuredTaskScope and Jox structured, both JDK 25 preview APIs) is compiled. It is compiled
 * only when this JDK is exactly 25, because preview class files run only on the JDK that made
 * them. The second argument forces the answer: {@code false} simulates any other JDK,
 * {@code true} fails the build unless the JDK is 25.
 */
public class ProbeJdk {
    private static final int PREVIEW_JDK = 25;

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: java ProbeJdk.java <out.properties> [auto|true|false]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        String force = args.length == 2 ? args[1] : "auto";
        int feature = Runtime.version().feature();
        boolean preview = switch (force) {
            case "auto" -> feature == PREVIEW_JDK;
            case "false" -> false;
            case "true" -> {
                if (feature != PREVIEW_JDK) {
                    System.err.println("[weft-jmh] weft.forcePreview=true but the toolchain JDK is " + feature
                            + ", not " + PREVIEW_JDK + ": the preview benchmarks cannot be compiled");
                    System.exit(1);
                }
                yield true;
            }
            default -> {
                System.err.println("[weft-jmh] weft.forcePreview must be auto, true or false, was '" + force + "'");
                System.exit(2);
                yield false;
            }
        };

        String props = "# written by jmh/src/build/ProbeJdk.java on JDK " + Runtime.version() + "\n"
                + "weft.preview=" + preview + "\n"
                + "weft.jmh.release=" + (preview ? PREVIEW_JDK : 21) + "\n"
                + "weft.jmh.extraSources=" + (preview ? "src/main/java25" : "src/main/java") + "\n"
                // .ci/run runs the jars with the JDK that built them.
                + "weft.java.home=" + System.getProperty("java.home") + "\n";
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, props);

        if (preview) {
            System.out.println("[weft-jmh] toolchain JDK " + feature
                    + ": compiling the preview benchmarks (src/main/java25) with --release 25 --enable-preview");
        } else {
            String why = force.equals("false") ? "weft.forcePreview=false" : "the toolchain JDK is " + feature;
            System.out.println("[weft-jmh] SKIPPING the preview benchmarks in src/main/java25 (JDK StructuredTaskScope,"
                    + " Jox structured): " + why + ", they need exactly JDK " + PREVIEW_JDK
                    + " with --enable-preview. Building the Java 21 benchmarks only (--release 21).");
        }
    }
}
