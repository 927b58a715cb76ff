package dev.e2bjobs.bundle;

import dev.e2bjobs.job.ArtifactStore;
import dev.e2bjobs.job.IdempotencyConflictException;
import dev.e2bjobs.job.InvalidJobRequestException;
import dev.e2bjobs.job.JobIntake;
import dev.e2bjobs.job.JobRequest;
import dev.e2bjobs.job.JobRequestException;
import dev.e2bjobs.job.JobSettings;
import dev.e2bjobs.job.ResultsExport;
import dev.e2bjobs.job.ResultsTarget;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Uploads become jobs: a bundle under the prefix is read (hygienically), its job.json checked as a
 * POST /jobs body would be, and the job queued as the deployment's S3 owner, once per upload however
 * often S3 announces it. A bundle that cannot run gets {@code results/<name>/error.json} and no job.
 */
public class BundleIngest {
    /** job.json is a request body; its files travel beside it, so it stays small. */
    static final int MAX_JOB_JSON_BYTES = 1024 * 1024;

    /** What became of one upload. */
    public record Outcome(Kind kind, String detail) {
        public enum Kind { QUEUED, REJECTED, IGNORED }
    }

    /** Where bundles are taken from and whose jobs they become. */
    public record Settings(String bucket, String prefix, String owner) {
        public Settings {
            if (!prefix.endsWith("/") || overlaps(prefix, ResultsTarget.ROOT) || overlaps(prefix, ArtifactStore.ROOT)) {
                throw new IllegalArgumentException("the ingest prefix must be a folder apart from " + ResultsTarget.ROOT + " and "
                        + ArtifactStore.ROOT + ", got '" + prefix + "'");
            }
        }

        private static boolean overlaps(String a, String b) {
            return a.startsWith(b) || b.startsWith(a);
        }
    }

    private final BundleSource source;
    private final JobIntake intake;
    private final ResultsExport exports;
    private final Settings settings;
    private final JobSettings limits;

    public BundleIngest(BundleSource source, JobIntake intake, ResultsExport exports, Settings settings, JobSettings limits) {
        this.source = source;
        this.intake = intake;
        this.exports = exports;
        this.settings = settings;
        this.limits = limits;
    }

    /**
     * Takes one upload; {@code parser} reads job.json as the API reads a POST /jobs body. Throws when
     * the upload must be tried again later (the bucket cannot be read, or S3's other delivery of it is
     * still being taken).
     */
    public Outcome ingest(Upload upload, Function<byte[], JobRequest> parser) {
        Optional<BundleKey> bundle = upload.bucket().equals(settings.bucket()) ? BundleKey.parse(settings.prefix(), upload.key())
                : Optional.empty();
        if (bundle.isEmpty()) {
            return new Outcome(Outcome.Kind.IGNORED, upload.key() + " is not a job bundle under " + settings.bucket() + "/" + settings.prefix());
        }
        try {
            Optional<JobRequest> request = request(bundle.get(), upload, parser);
            return request.isEmpty() ? new Outcome(Outcome.Kind.IGNORED, upload.key() + " is gone or has been replaced since")
                    : new Outcome(Outcome.Kind.QUEUED, intake.submitUpload(settings.owner(), request.get(), bundle.get().name(), upload.id()).jobId());
        } catch (IdempotencyConflictException e) {
            if (e.inProgress()) {
                throw e;
            }
            return new Outcome(Outcome.Kind.IGNORED, "taken before, with other sibling files: " + e.getMessage());
        } catch (JobRequestException refused) {
            exports.rejected(bundle.get().name(), refused);
            return new Outcome(Outcome.Kind.REJECTED, refused.code());
        }
    }

    /** The bundle's job.json with its files added; empty if the upload is no longer there. */
    private Optional<JobRequest> request(BundleKey bundle, Upload upload, Function<byte[], JobRequest> parser) {
        Optional<byte[]> uploaded = source.read(upload, bundle.isZip() ? maxZipBytes() : MAX_JOB_JSON_BYTES);
        if (uploaded.isEmpty()) {
            return Optional.empty();
        }
        Map<String, byte[]> files = bundle.isZip() ? new LinkedHashMap<>(ZipBundle.read(uploaded.get(), zipLimits())) : siblings(bundle);
        byte[] jobJson = bundle.isZip() ? files.remove(BundleKey.JOB_JSON) : uploaded.get();
        if (jobJson == null) {
            throw ZipBundle.invalid("the zip has no " + BundleKey.JOB_JSON + " at its root");
        }
        JobRequest request = parser.apply(jobJson);
        if (request == null) {
            throw new InvalidJobRequestException("BODY_REQUIRED", BundleKey.JOB_JSON + " holds no job");
        }
        return Optional.of(request.withFiles(asRequestFiles(request, files)));
    }

    /** A folder bundle's files: every other key under its folder, within the limits of a job's files. */
    private Map<String, byte[]> siblings(BundleKey bundle) {
        List<BundleSource.Listed> listed = source.list(settings.bucket(), bundle.folder(), limits.maxFiles() + 1).stream()
                .filter(object -> !object.key().endsWith("/") && !object.key().equals(bundle.folder() + BundleKey.JOB_JSON)).toList();
        if (listed.size() > limits.maxFiles()) {
            throw ZipBundle.tooLarge("the folder holds more than " + limits.maxFiles() + " files");
        }
        long total = listed.stream().mapToLong(BundleSource.Listed::size).sum();
        if (total > limits.maxTotalBytes()) {
            throw ZipBundle.tooLarge("the folder's files hold " + total + " bytes; at most " + limits.maxTotalBytes());
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (BundleSource.Listed object : listed) {
            source.read(settings.bucket(), object.key()).ifPresent(content -> files.put(object.key().substring(bundle.folder().length()), content));
        }
        return files;
    }

    /** The bundle's files as request files (base64: bytes as they are); a path job.json names too is refused. */
    private static Map<String, JobRequest.FileContent> asRequestFiles(JobRequest request, Map<String, byte[]> files) {
        Map<String, JobRequest.FileContent> contents = new LinkedHashMap<>();
        files.forEach((path, content) -> {
            if (request.files() != null && request.files().containsKey(path)) {
                throw ZipBundle.invalid(path + " is both in " + BundleKey.JOB_JSON + " and beside it");
            }
            contents.put(path, new JobRequest.FileContent(Base64.getEncoder().encodeToString(content), "base64"));
        });
        return contents;
    }

    /** Directories count as entries; job.json comes on top of the files. */
    private ZipBundle.Limits zipLimits() {
        return new ZipBundle.Limits(2 * limits.maxFiles() + 1, limits.maxTotalBytes() + MAX_JOB_JSON_BYTES);
    }

    /** A zip is its files plus headers: a megabyte of room for those. */
    private long maxZipBytes() {
        return zipLimits().maxTotalBytes() + 1024 * 1024;
    }
}
