package dev.e2bjobs.s3;

import dev.e2bjobs.config.AppConfig;
import dev.e2bjobs.config.AwsAccess;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The one S3 client (and link signer) for the jobs bucket: large files under artifacts/, uploaded
 * bundles, results. In AWS the function's role signs; an emulator is addressed by path.
 */
@ApplicationScoped
public class S3Clients {
    private static final Logger LOG = Logger.getLogger(S3Clients.class);

    @Produces
    @Singleton
    S3Client s3(AppConfig config) {
        var client = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(AwsAccess.region(config))
                .credentialsProvider(AwsAccess.credentials(config)).serviceConfiguration(addressing(config))
                // checksums only where S3 demands them: S3-compatible stores reject the SDK's default trailers
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        config.artifacts().endpoint().ifPresent(client::endpointOverride);
        return client.build();
    }

    @Produces
    @Singleton
    S3Presigner presigner(AppConfig config) {
        var links = S3Presigner.builder().region(AwsAccess.region(config)).credentialsProvider(AwsAccess.credentials(config))
                .serviceConfiguration(addressing(config));
        config.artifacts().endpoint().ifPresent(links::endpointOverride);
        return links.build();
    }

    void close(@Disposes S3Client s3) {
        s3.close();
    }

    void close(@Disposes S3Presigner presigner) {
        presigner.close();
    }

    /** For the emulator only: the bucket the functions expect, made at start. */
    void createBucketIfConfigured(@Observes StartupEvent start, AppConfig config, S3Client s3) {
        if (config.artifacts().createBucket()) {
            try {
                s3.createBucket(b -> b.bucket(config.artifacts().bucket()));
                LOG.infof("created bucket %s", config.artifacts().bucket());
            } catch (BucketAlreadyOwnedByYouException exists) {
                LOG.debugf("bucket %s exists", config.artifacts().bucket());
            }
        }
    }

    /** An S3-compatible emulator serves buckets by path, not by host name. */
    private static S3Configuration addressing(AppConfig config) {
        return S3Configuration.builder().pathStyleAccessEnabled(config.artifacts().endpoint().isPresent()).build();
    }
}
