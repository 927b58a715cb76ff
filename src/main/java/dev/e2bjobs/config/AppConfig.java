package dev.e2bjobs.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The application's own settings (prefix {@code e2bjobs}); secrets arrive through the environment. */
@ConfigMapping(prefix = "e2bjobs")
public interface AppConfig {

    E2b e2b();

    Jobs jobs();

    Dynamodb dynamodb();

    Artifacts artifacts();

    Launch launch();

    Quota quota();

    Webhooks webhooks();

    Aws aws();

    Ingest ingest();

    Follow follow();

    Environments environments();

    /** Names this deployment in every sandbox's metadata, so the sweep reaps only its own. */
    @WithDefault("local")
    String deployment();

    interface Jobs {
        @WithDefault("200")
        int maxFiles();

        @WithDefault("4194304")
        int maxFileBytes();

        /** All files of a job together; bounded by Lambda's 6 MB request payload. */
        @WithDefault("4194304")
        int maxTotalBytes();

        /** Files up to this total are stored with the job's DynamoDB item (400 KB at most); more go to S3. */
        @WithDefault("204800")
        int inlineFilesBytes();

        @WithDefault("300")
        int defaultTimeoutSeconds();

        /** E2B Hobby sandboxes live at most an hour. */
        @WithDefault("3300")
        int maxTimeoutSeconds();

        @WithDefault("300")
        int installTimeoutSeconds();

        @WithDefault("50")
        int maxDependencies();

        /** Templates jobs may ask for. */
        @WithDefault("base")
        java.util.Set<String> templates();

        @WithDefault("base")
        String defaultTemplate();

        /** E2B's concurrency cap for the plan (Hobby 20, Pro 100). */
        @WithDefault("20")
        int maxConcurrentSandboxes();

        /** Sandbox lifetime beyond install + run time: upload before, finalize after. */
        @WithDefault("120s")
        Duration setupMargin();

        @WithDefault("16384")
        int outputTailBytes();

        /** Result bytes returned inline per job; larger result files are stored as artifacts. */
        @WithDefault("262144")
        int maxInlineResultBytes();

        /** The largest result file kept as an artifact; a larger one is only listed with its size. */
        @WithDefault("52428800")
        long maxArtifactBytes();

        /** How long finished jobs are kept (DynamoDB TTL). */
        @WithDefault("30d")
        Duration retention();

        @WithDefault("24h")
        Duration idempotencyExpiry();

        /**
         * The package index hosts a job with dependencies but without internet may reach (E2B's
         * egress allow-list); pip's default index is served from these two.
         */
        @WithDefault("pypi.org,files.pythonhosted.org")
        java.util.List<String> packageIndexHosts();

        /** A start (sandbox create, upload, runner start) not done by then is given up and tried again. */
        @WithDefault("180s")
        Duration startGrace();
    }

    /** Dependencies installed once: environments kept as E2B snapshots that jobs with the same requirements start from. */
    interface Environments {
        /** Off: every job installs its requirements inline, as before. */
        @WithDefault("true")
        boolean enabled();

        /** Environments are the deployment's, shared by its owners, instead of each owner's own. */
        @WithDefault("false")
        boolean shared();

        /** An environment no job used for this long loses its snapshot. */
        @WithDefault("7d")
        Duration expireAfter();

        /** Environments an owner (or the shared scope) may have at once. */
        @WithDefault("20")
        int perOwner();

        /** How long a builder may take before another launcher builds the environment again. */
        @WithDefault("20m")
        Duration buildLease();

        /** The wait before a failed build is tried again; it doubles with each failure in a row, up to a day. */
        @WithDefault("5m")
        Duration retryAfter();
    }

    /** The launch function: how the other functions hand it queued jobs, and how it starts them. */
    interface Launch {
        /** The launch function's name (LAUNCH_FUNCTION in AWS, from the SAM template); invoked asynchronously. */
        @WithDefault("launch")
        String function();

        /** A Lambda-compatible endpoint instead of AWS's (the local stack). */
        java.util.Optional<java.net.URI> endpoint();

        /** Starts one launch runs at once. */
        @WithDefault("8")
        int parallelism();

        /** Failed start attempts after which a job ends FAILED / E2B_UNAVAILABLE. */
        @WithDefault("5")
        int maxFailures();

        /** ... or the time after its first failed attempt after which it does. */
        @WithDefault("15m")
        Duration giveUpAfter();

        /** The wait after a failed attempt; it doubles after each further one, up to {@link #maxBackoff()}. */
        @WithDefault("2s")
        Duration firstBackoff();

        @WithDefault("60s")
        Duration maxBackoff();
    }

    /** Completion callbacks. */
    interface Webhooks {
        /** The notify function's name (NOTIFY_FUNCTION in AWS): enders hand callbacks to it asynchronously. */
        @WithDefault("notify")
        String function();

        /** POSTs per callback at most. */
        @WithDefault("3")
        int maxAttempts();

        /** The wait before the first retry; it doubles with each. */
        @WithDefault("2s")
        Duration firstBackoff();

        /** Owners' default callback URLs (e.g. {@code e2bjobs.webhooks.per-owner."jwt:alice"=https://...}). */
        java.util.Map<String, String> perOwner();

        /** The Secrets Manager secret (WEBHOOK_SECRET_ARN) whose value signs callbacks. */
        java.util.Optional<String> secretArn();

        /** The signing secret itself: for tests only; a deployment names the secret instead. */
        java.util.Optional<Secret> secret();

        /** A trust store (PKCS12) for receivers whose certificates the JVM's defaults do not cover. */
        java.util.Optional<java.nio.file.Path> trustStore();

        java.util.Optional<Secret> trustStorePassword();

        /** Test only (ignored outside Quarkus' test mode): origins on loopback a callback may go to, the test receiver's. */
        java.util.Optional<java.util.Set<String>> testLoopbackOrigins();
    }

    /** Per-owner limits: every owner's unfinished jobs count against a quota. */
    interface Quota {
        /** Queued, starting and running jobs an owner may have at once. */
        @WithDefault("200")
        int maxUnfinishedJobs();

        /** Owners with a quota of their own (e.g. {@code e2bjobs.quota.per-owner."jwt:alice"=1000}). */
        java.util.Map<String, Integer> perOwner();
    }

    /** What every AWS client of the functions shares. */
    interface Aws {
        /** A Secrets Manager-compatible endpoint instead of AWS's (the local stack). */
        java.util.Optional<java.net.URI> secretsEndpoint();

        /** AWS_REGION in Lambda. */
        @WithDefault("us-east-1")
        String region();

        /** Static credentials for local emulators; in AWS the function's role is used. */
        java.util.Optional<String> accessKeyId();

        java.util.Optional<Secret> secretAccessKey();
    }

    /** The jobs bucket: uploaded bundles, results, and files too large to keep in a job's item. */
    interface Artifacts {
        /** ARTIFACTS_BUCKET in AWS, from the SAM template. */
        @WithDefault("e2b-jobs-artifacts")
        String bucket();

        /** An S3-compatible endpoint instead of AWS (the local S3 emulator); path-style addressing. */
        java.util.Optional<java.net.URI> endpoint();

        /** How long a download link stays valid. */
        @WithDefault("1h")
        Duration linkValidity();

        /** Create the bucket at start when it is missing: for the emulator, never in AWS. */
        @WithDefault("false")
        boolean createBucket();
    }

    /** Running jobs somebody is to be told about are followed to their end (the follow function). */
    interface Follow {
        /** The follow function's name (FOLLOW_FUNCTION in AWS): starters hand running jobs to it asynchronously. */
        @WithDefault("follow")
        String function();

        /** How long one follow invocation waits before handing the job on: within Lambda's 15 minutes (template: Timeout 900). */
        @WithDefault("840s")
        Duration budget();
    }

    /** Bundles uploaded to the jobs bucket (the Artifacts bucket) become jobs. */
    interface Ingest {
        /** Where bundles are uploaded (IngestPrefix in the template): {@code <prefix><name>.zip} or {@code <prefix><name>/job.json}. */
        @WithDefault("jobs/")
        String prefix();

        /** Whose jobs they are (S3JobsOwner in the template): quotas and tenancy as for API callers. */
        @WithDefault("s3:uploads")
        String owner();
    }

    interface Dynamodb {
        /** The jobs table (JOBS_TABLE in AWS, from the SAM template). */
        @WithDefault("e2b-jobs")
        String table();

        /** Create the table at start when it is missing: for DynamoDB Local, never in AWS. */
        @WithDefault("false")
        boolean createTable();
    }

    interface E2b {
        /**
         * The team's API key itself (E2B_API_KEY): for local stand-ins and development only. A
         * deployment names the secret instead ({@link #apiKeySecret()}).
         */
        java.util.Optional<Secret> apiKey();

        /** The Secrets Manager secret (ARN or name; E2B_API_KEY_SECRET_ARN) holding the API key, read at run time. */
        java.util.Optional<String> apiKeySecret();

        /** E2B's domain (E2B_DOMAIN); sandboxes answer under it unless they name their own. */
        String domain();

        /** Where envd is reached when routing by headers (E2B_SANDBOX_URL), e.g. https://sandbox.e2b.app. */
        String sandboxUrl();

        /** How a request finds its sandbox's envd. */
        @WithDefault("headers")
        SandboxRouting sandboxRouting();

        Timeouts timeouts();

        RetryPolicy retry();

        CircuitBreakerPolicy circuitBreaker();
    }

    enum SandboxRouting {
        /** One base URL for all sandboxes; E2b-Sandbox-Id and E2b-Sandbox-Port pick the sandbox. */
        HEADERS,
        /** https://49983-{sandboxId}.{domain}, the form E2B documents for direct access. */
        HOST
    }

    /** Per-attempt time limits, sized per kind of call. */
    interface Timeouts {
        /** Creating a sandbox: placement takes seconds under load, and E2B itself gives up with a 504. */
        @WithDefault("30s")
        Duration create();

        /** Moving file contents (upload, download): bounded by the job's size limits. */
        @WithDefault("60s")
        Duration transfer();

        /** Everything else: small JSON calls that normally answer within a second. */
        @WithDefault("10s")
        Duration call();
    }

    interface RetryPolicy {
        /** Retries after the first attempt, for rate-limited and unavailable answers only. */
        @WithDefault("4")
        int maxRetries();

        /** First backoff; each later one doubles, with jitter, up to {@link #maxDelay()}. */
        @WithDefault("200ms")
        Duration initialDelay();

        @WithDefault("5s")
        Duration maxDelay();

        /** The longest Retry-After we honour; a longer one is cut to this. */
        @WithDefault("10s")
        Duration retryAfterCap();

        /** Total time one call may spend retrying. */
        @WithDefault("2m")
        Duration maxDuration();
    }

    interface CircuitBreakerPolicy {
        /**
         * Attempts in the rolling window the failure ratio is computed over: 20, so that an E2B
         * failing a third of its requests does not open the breaker by chance (with 8, about 1 % of
         * windows would), while one that is down opens it within four calls.
         */
        @WithDefault("20")
        int requestVolume();

        @WithDefault("0.75")
        double failureRatio();

        /** How long an open circuit fails calls before it lets a trial call through. */
        @WithDefault("15s")
        Duration openFor();
    }
}
