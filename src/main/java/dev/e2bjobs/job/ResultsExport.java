package dev.e2bjobs.job;

import java.util.logging.Logger;

/**
 * Results in the jobs bucket, for jobs that ask for them ({@link JobSpec#resultsTo()}): under
 * {@code results/<name or jobId>/}, the full {@value #STDOUT} and {@value #STDERR}, every result file
 * byte for byte under {@value #FILES}, and {@value #STATUS} last, once the job has ended, so that its
 * presence means the rest is there. A bundle that cannot run gets {@value #ERROR} instead.
 */
public class ResultsExport {
    public static final String STATUS = "status.json";
    public static final String STDOUT = "stdout.txt";
    public static final String STDERR = "stderr.txt";
    public static final String ERROR = "error.json";
    public static final String FILES = "files/";
    private static final Logger LOG = Logger.getLogger(ResultsExport.class.getName());
    private static final String JSON = "application/json";
    /** No charset parameter: S3-compatible stores (S3Proxy) refuse signed content types with parameters. */
    private static final String TEXT = "text/plain";
    private static final String BYTES = "application/octet-stream";

    private final ResultsBucket bucket;
    private final JobDocuments documents;

    public ResultsExport(ResultsBucket bucket, JobDocuments documents) {
        this.bucket = bucket;
        this.documents = documents;
    }

    /** Whether the job's results go to the bucket. */
    public static boolean wanted(Job job) {
        return job.spec().resultsTo() != null;
    }

    /** The runner's whole stdout or stderr ({@value #STDOUT}, {@value #STDERR}), read while the sandbox holds it. */
    public void output(Job job, String name, byte[] text) {
        put(job, name, text, TEXT);
    }

    /** A result file, at its path in the job under {@value #FILES}. */
    public void resultFile(Job job, String path, byte[] content) {
        put(job, FILES + path, content, BYTES);
    }

    /** The ended job's {@value #STATUS}: written last. */
    public void status(Job ended) {
        put(ended, STATUS, documents.status(ended), JSON);
    }

    /** A bundle that cannot run: the problem the API would answer, as {@code results/<name>/error.json}. May throw. */
    public void rejected(String bundleName, JobRequestException refused) {
        bucket.put(new ResultsTarget(bundleName).prefixFor(null) + ERROR, documents.problem(refused), JSON);
    }

    /** A result that cannot be written now is logged: the job's own record keeps its outcome either way. */
    private void put(Job job, String relative, byte[] content, String contentType) {
        String key = job.spec().resultsTo().prefixFor(job.jobId()) + relative;
        try {
            bucket.put(key, content, contentType);
        } catch (RuntimeException e) {
            LOG.warning("job " + job.jobId() + ": could not write " + key + " to the bucket (" + e + ")");
        }
    }
}
