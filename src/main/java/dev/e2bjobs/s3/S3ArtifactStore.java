package dev.e2bjobs.s3;

import dev.e2bjobs.config.AppConfig;
import dev.e2bjobs.job.ArtifactStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;

/**
 * A job's large files in S3 under {@code artifacts/<jobId>/<path>}: result files, handed out as
 * presigned GET links, and the files of a queued job too large to store with it.
 * The bucket's lifecycle rule (template.yaml) removes them with the job's retention.
 */
@ApplicationScoped
public class S3ArtifactStore implements ArtifactStore {
    private final AppConfig.Artifacts config;
    private final S3Client s3;
    private final S3Presigner presigner;

    S3ArtifactStore(AppConfig config, S3Client s3, S3Presigner presigner) {
        this.config = config.artifacts();
        this.s3 = s3;
        this.presigner = presigner;
    }

    @Override
    public String put(String jobId, String path, byte[] content) {
        String key = ROOT + jobId + "/" + path;
        s3.putObject(b -> b.bucket(config.bucket()).key(key), RequestBody.fromBytes(content));
        return key;
    }

    @Override
    public byte[] get(String key) {
        return s3.getObjectAsBytes(b -> b.bucket(config.bucket()).key(key)).asByteArray();
    }

    @Override
    public Link link(String key) {
        PresignedGetObjectRequest presigned = presigner.presignGetObject(b -> b.signatureDuration(config.linkValidity())
                .getObjectRequest(get -> get.bucket(config.bucket()).key(key)));
        Instant expiresAt = presigned.expiration();
        return new Link(presigned.url().toString(), expiresAt);
    }
}
