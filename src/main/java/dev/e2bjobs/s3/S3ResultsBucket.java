package dev.e2bjobs.s3;

import dev.e2bjobs.config.AppConfig;
import dev.e2bjobs.job.ResultsBucket;
import jakarta.enterprise.context.ApplicationScoped;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Results written to the jobs bucket (under results/, which never starts a job). */
@ApplicationScoped
public class S3ResultsBucket implements ResultsBucket {
    private final String bucket;
    private final S3Client s3;

    S3ResultsBucket(AppConfig config, S3Client s3) {
        this.bucket = config.artifacts().bucket();
        this.s3 = s3;
    }

    @Override
    public void put(String key, byte[] content, String contentType) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(content));
    }
}
