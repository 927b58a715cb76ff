package dev.e2bjobs.s3;

import dev.e2bjobs.config.AppConfig;
import dev.e2bjobs.config.AwsAccess;
import dev.e2bjobs.job.ArtifactStore;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;

/**
 * A job's large files in S3 under {@code jobs/<jobId>/<path>}: result files, handed out as presigned
 * GET links, and the files of a queued job too large to store with it.
 * The bucket's lifecycle rule (template.yaml) removes them with the job's retention.
 */
@ApplicationScoped
public class S3ArtifactStore implements ArtifactStore {
    private static final Logger LOG = Logger.getLogger(S3ArtifactStore.class);

    private final AppConfig.Artifacts config;
    private final S3Client s3;
    private final S3Presigner presigner;

    S3ArtifactStore(AppConfig config) {
        this.config = config.artifacts();
        Region region = AwsAccess.region(config);
        AwsCredentialsProvider credentials = AwsAccess.credentials(config);
        // an S3-compatible emulator serves buckets by path, not by host name
        S3Configuration addressing = S3Configuration.builder().pathStyleAccessEnabled(this.config.endpoint().isPresent()).build();
        S3ClientBuilder client = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(region)
                .credentialsProvider(credentials).serviceConfiguration(addressing)
                // checksums only where S3 demands them: S3-compatible stores reject the SDK's default trailers
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        S3Presigner.Builder links = S3Presigner.builder().region(region).credentialsProvider(credentials).serviceConfiguration(addressing);
        this.config.endpoint().ifPresent(endpoint -> {
            client.endpointOverride(endpoint);
            links.endpointOverride(endpoint);
        });
        this.s3 = client.build();
        this.presigner = links.build();
    }

    void createBucketIfConfigured(@Observes StartupEvent start) {
        if (config.createBucket()) {
            try {
                s3.createBucket(b -> b.bucket(config.bucket()));
                LOG.infof("created bucket %s", config.bucket());
            } catch (BucketAlreadyOwnedByYouException exists) {
                LOG.debugf("bucket %s exists", config.bucket());
            }
        }
    }

    @Override
    public String put(String jobId, String path, byte[] content) {
        String key = "jobs/" + jobId + "/" + path;
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

    @PreDestroy
    void close() {
        presigner.close();
        s3.close();
    }
}
