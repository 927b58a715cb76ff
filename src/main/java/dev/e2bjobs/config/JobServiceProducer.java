package dev.e2bjobs.config;

import dev.e2bjobs.job.ArtifactStore;
import dev.e2bjobs.job.JobService;
import dev.e2bjobs.job.JobSettings;
import dev.e2bjobs.job.JobStore;
import dev.e2bjobs.sandbox.SandboxGateway;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Wires the plain-Java job service to its adapters and settings. */
@ApplicationScoped
public class JobServiceProducer {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    JobService jobService(JobStore store, SandboxGateway sandboxes, ArtifactStore artifacts, AppConfig config, Clock clock) {
        AppConfig.Jobs jobs = config.jobs();
        JobSettings settings = new JobSettings(jobs.maxFiles(), jobs.maxFileBytes(), jobs.maxTotalBytes(), jobs.inlineFilesBytes(),
                jobs.defaultTimeoutSeconds(), jobs.maxTimeoutSeconds(), jobs.installTimeoutSeconds(), jobs.maxDependencies(),
                jobs.templates(), jobs.defaultTemplate(), jobs.maxConcurrentSandboxes(), jobs.setupMargin(), jobs.outputTailBytes(),
                jobs.maxInlineResultBytes(), jobs.maxArtifactBytes(), jobs.retention(), jobs.idempotencyExpiry(), jobs.startGrace(), config.deployment());
        return new JobService(store, sandboxes, artifacts, settings, clock);
    }
}
