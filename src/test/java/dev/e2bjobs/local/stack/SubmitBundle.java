package dev.e2bjobs.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.e2bjobs.local.s3.S3Emulator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * {@code scripts/submit --via-s3}: runs a job directory the way a user of the bucket does. Zips the
 * files {@link SubmitExample} would send (with the directory's job.json, or one holding what
 * SubmitExample would send besides the files), uploads the zip as {@code jobs/<dir>-<yyyyMMdd-HHmmss>.zip}
 * to the stack's S3, waits (up to ten minutes) for {@code results/<that name>/status.json} or
 * {@code error.json}, and prints the status, exit code, output and the result files' keys. Exits 0
 * only if the job SUCCEEDED.
 *
 * <pre>SubmitBundle &lt;job dir&gt; &lt;s3 url&gt;</pre>
 */
public final class SubmitBundle {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final Duration WAIT = Duration.ofMinutes(10);
    private static final Duration POLL = Duration.ofMillis(500);
    /** The last part of stdout.txt and stderr.txt shown. */
    private static final int TAIL_CHARS = 4000;

    private SubmitBundle() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String name = dir.toAbsolutePath().normalize().getFileName() + "-" + LocalDateTime.now().format(STAMP);
        String bucket = LocalStack.ARTIFACTS_BUCKET;
        String key = "jobs/" + name + ".zip";
        byte[] zip = bundle(dir);
        try (S3Client s3 = S3Emulator.client(URI.create(args[1]))) {
            try {
                s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(zip));
            } catch (SdkException e) {
                System.err.println("submit: cannot upload to " + args[1] + " (is the local stack running? S3_URL): " + e.getMessage());
                System.exit(2);
            }
            System.out.printf("uploaded s3://%s/%s (%d bytes) to %s; waiting for results/%s/ ...%n", bucket, key, zip.length, args[1], name);
            long started = System.nanoTime();
            Optional<String> outcome = awaitOutcome(s3, bucket, name);
            if (outcome.isEmpty()) {
                System.out.printf("no results/%s/status.json or error.json after %d minutes%n", name, WAIT.toMinutes());
                System.exit(1);
            }
            System.out.printf("results/%s/%s after %.1f s%n", name, outcome.get(), (System.nanoTime() - started) / 1e9);
            System.exit(report(s3, bucket, name, System.out));
        }
    }

    /** The job directory as a zip bundle: its files, and a job.json (the directory's own, or the job without its files). */
    static byte[] bundle(Path dir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            boolean hasJobJson = false;
            for (Path file : SubmitExample.files(dir)) {
                String entry = dir.relativize(file).toString();
                hasJobJson |= entry.equals("job.json");
                add(zip, entry, Files.readAllBytes(file));
            }
            if (!hasJobJson) {
                add(zip, "job.json", JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(SubmitExample.jobWithoutFiles(dir)));
            }
        }
        return bytes.toByteArray();
    }

    private static void add(ZipOutputStream zip, String entry, byte[] content) throws IOException {
        zip.putNextEntry(new ZipEntry(entry));
        zip.write(content);
        zip.closeEntry();
    }

    /** The key of whichever came, status.json or error.json; empty if neither came in time. */
    private static Optional<String> awaitOutcome(S3Client s3, String bucket, String name) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (String outcome : new String[] {"status.json", "error.json"}) {
                if (text(s3, bucket, "results/" + name + "/" + outcome).isPresent()) {
                    return Optional.of(outcome);
                }
            }
            Thread.sleep(POLL.toMillis()); // S3 has nothing to wait on: poll, as a user's script would
        }
        return Optional.empty();
    }

    /**
     * Prints what {@code results/<name>/} holds: error.json if the bundle was refused, else the status,
     * exit code, the tails of stdout and stderr and the result files' keys. The exit code for the script:
     * 0 only if status.json says SUCCEEDED.
     */
    static int report(S3Client s3, String bucket, String name, PrintStream out) throws IOException {
        String results = "results/" + name + "/";
        Optional<String> error = text(s3, bucket, results + "error.json");
        Optional<String> statusJson = text(s3, bucket, results + "status.json");
        if (statusJson.isEmpty()) {
            out.println("the bundle was refused: " + error.orElse("(no error.json either)"));
            return 1;
        }
        JsonNode status = JSON.readTree(statusJson.get());
        out.println("status.json: " + status);
        out.println("status: " + status.path("status").asText("(none)"));
        out.println("exit code: " + (status.hasNonNull("exitCode") ? status.path("exitCode").asText() : "none"));
        for (String stream : new String[] {"stdout", "stderr"}) {
            Optional<String> text = text(s3, bucket, results + stream + ".txt");
            if (text.isPresent() && !(stream.equals("stderr") && text.get().isEmpty())) {
                String shown = text.get().length() > TAIL_CHARS ? text.get().substring(text.get().length() - TAIL_CHARS) : text.get();
                out.println("--- " + stream + ".txt" + (shown.length() < text.get().length() ? " (last part)" : "") + "\n" + shown);
            }
        }
        out.println("--- result files");
        s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(results + "files/")).contents()
                .forEach(object -> out.println(object.key() + " (" + object.size() + " bytes)"));
        return status.path("status").asText().equals("SUCCEEDED") ? 0 : 1;
    }

    private static Optional<String> text(S3Client s3, String bucket, String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asString(StandardCharsets.UTF_8));
        } catch (NoSuchKeyException absent) {
            return Optional.empty();
        }
    }
}
