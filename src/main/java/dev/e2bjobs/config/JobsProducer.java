package dev.e2bjobs.config;

import dev.e2bjobs.bundle.BundleIngest;
import dev.e2bjobs.bundle.BundleSource;
import dev.e2bjobs.environment.EnvironmentCache;
import dev.e2bjobs.environment.EnvironmentStore;
import dev.e2bjobs.job.AddressResolver;
import dev.e2bjobs.job.ArtifactStore;
import dev.e2bjobs.job.CallbackTargets;
import dev.e2bjobs.job.CallbackTrigger;
import dev.e2bjobs.job.FollowTrigger;
import dev.e2bjobs.job.JobDocuments;
import dev.e2bjobs.job.JobFollower;
import dev.e2bjobs.job.JobNotifier;
import dev.e2bjobs.job.ResultsBucket;
import dev.e2bjobs.job.ResultsExport;
import dev.e2bjobs.job.WebhookSender;
import dev.e2bjobs.webhook.WebhookSigningKey;
import io.quarkus.runtime.LaunchMode;
import java.util.Set;
import dev.e2bjobs.job.Idempotency;
import dev.e2bjobs.job.IdempotencyStore;
import dev.e2bjobs.job.JobCancellation;
import dev.e2bjobs.job.JobEnding;
import dev.e2bjobs.job.JobEvents;
import dev.e2bjobs.job.JobFinalizer;
import dev.e2bjobs.job.JobIntake;
import dev.e2bjobs.job.JobLauncher;
import dev.e2bjobs.job.JobQueries;
import dev.e2bjobs.job.JobSettings;
import dev.e2bjobs.job.JobStore;
import dev.e2bjobs.job.JobSweeper;
import dev.e2bjobs.job.LaunchTrigger;
import dev.e2bjobs.sandbox.SandboxGateway;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import dev.e2bjobs.ops.LogContext;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/** Wires the plain-Java job rooms to their adapters and settings. */
@ApplicationScoped
public class JobsProducer {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    JobSettings settings(AppConfig config) {
        AppConfig.Jobs jobs = config.jobs();
        AppConfig.Launch launch = config.launch();
        return new JobSettings(jobs.maxFiles(), jobs.maxFileBytes(), jobs.maxTotalBytes(), jobs.inlineFilesBytes(),
                jobs.defaultTimeoutSeconds(), jobs.maxTimeoutSeconds(), jobs.installTimeoutSeconds(), jobs.maxDependencies(),
                jobs.templates(), jobs.defaultTemplate(), jobs.maxConcurrentSandboxes(), jobs.setupMargin(), jobs.outputTailBytes(),
                jobs.maxInlineResultBytes(), jobs.maxArtifactBytes(), jobs.idempotencyExpiry(), jobs.startGrace(),
                new JobSettings.LaunchPolicy(launch.parallelism(), launch.maxFailures(), launch.giveUpAfter(), launch.firstBackoff(),
                        launch.maxBackoff()),
                new JobSettings.Quota(config.quota().maxUnfinishedJobs(), config.quota().perOwner()),
                jobs.packageIndexHosts(),
                new JobSettings.Webhooks(config.webhooks().maxAttempts(), config.webhooks().firstBackoff(), config.webhooks().perOwner()),
                config.deployment());
    }

    /** Callback targets: public addresses only; in Quarkus' test mode, also the test receiver's origins on loopback. */
    @Produces
    @Singleton
    CallbackTargets callbackTargets(AddressResolver resolver, AppConfig config) {
        Set<String> testOrigins = LaunchMode.current() == LaunchMode.TEST ? config.webhooks().testLoopbackOrigins().orElse(Set.of()) : Set.of();
        return new CallbackTargets(resolver, testOrigins);
    }

    @Produces
    @Singleton
    JobNotifier notifier(JobStore store, CallbackTargets targets, WebhookSender sender, WebhookSigningKey signingKey, JobSettings settings,
            Clock clock, JobEvents events) {
        return new JobNotifier(store, targets, sender, signingKey, settings.webhooks(), clock, events);
    }

    @Produces
    @Singleton
    JobIntake intake(JobStore store, IdempotencyStore keys, ArtifactStore artifacts, LaunchTrigger launches, CallbackTargets callbackTargets,
            JobSettings settings, Clock clock, JobEvents events) {
        return new JobIntake(store, new Idempotency(keys, settings.idempotencyExpiry(), clock), artifacts, launches, callbackTargets,
                settings, clock, events);
    }

    @Produces
    @Singleton
    BundleIngest ingest(BundleSource bundles, JobIntake intake, ResultsExport exports, AppConfig config, JobSettings settings) {
        return new BundleIngest(bundles, intake, exports,
                new BundleIngest.Settings(config.artifacts().bucket(), config.ingest().prefix(), config.ingest().owner()), settings);
    }

    @Produces
    @Singleton
    JobEnding ending(JobStore store, SandboxGateway sandboxes, LaunchTrigger launches, CallbackTrigger callbacks, ResultsExport exports,
            JobSettings settings, Clock clock, JobEvents events) {
        return new JobEnding(store, sandboxes, launches, callbacks, exports, settings, clock, events);
    }

    @Produces
    @Singleton
    ResultsExport exports(ResultsBucket bucket, JobDocuments documents) {
        return new ResultsExport(bucket, documents);
    }

    @Produces
    @Singleton
    JobFinalizer finalizer(SandboxGateway sandboxes, ArtifactStore artifacts, JobStore store, JobEnding ending, ResultsExport exports,
            JobSettings settings, Clock clock) {
        return new JobFinalizer(sandboxes, artifacts, store, ending, exports, settings, clock);
    }

    @Produces
    @Singleton
    JobLauncher launcher(JobStore store, SandboxGateway sandboxes, ArtifactStore artifacts, JobEnding ending, JobSettings settings,
            Clock clock, FollowTrigger follows, JobEvents events, EnvironmentCache environments) {
        Executor pool = Executors.newFixedThreadPool(settings.launch().parallelism(), runnable -> {
            Thread thread = new Thread(runnable, "job-start");
            thread.setDaemon(true);
            return thread;
        });
        // starts run beside the invocation's thread: their lines carry its request id all the same
        return new JobLauncher(store, sandboxes, artifacts, ending, settings, clock, LogContext.carried(pool), follows, events, environments);
    }

    @Produces
    @Singleton
    EnvironmentCache environments(EnvironmentStore store, SandboxGateway sandboxes, AppConfig config, JobSettings settings, Clock clock) {
        AppConfig.Environments environments = config.environments();
        return new EnvironmentCache(store, sandboxes, new EnvironmentCache.Settings(environments.enabled(), environments.shared(),
                environments.expireAfter(), environments.perOwner(), environments.buildLease(), environments.retryAfter(),
                Duration.ofDays(1), settings.installTimeoutSeconds(), Map.of(JobLauncher.DEPLOYMENT_KEY, settings.deployment())), clock);
    }

    @Produces
    @Singleton
    JobFollower follower(JobQueries queries, FollowTrigger follows) {
        return new JobFollower(queries, follows);
    }

    @Produces
    @Singleton
    JobQueries queries(JobStore store, JobFinalizer finalizer, Clock clock) {
        return new JobQueries(store, finalizer, clock);
    }

    @Produces
    @Singleton
    JobCancellation cancellation(JobStore store, JobEnding ending, Clock clock) {
        return new JobCancellation(store, ending, clock);
    }

    @Produces
    @Singleton
    JobSweeper sweeper(JobStore store, SandboxGateway sandboxes, JobFinalizer finalizer, JobLauncher launcher, JobEnding ending,
            JobSettings settings, Clock clock, JobEvents events, EnvironmentCache environments) {
        return new JobSweeper(store, sandboxes, finalizer, launcher, ending, settings, clock, events, environments);
    }
}
