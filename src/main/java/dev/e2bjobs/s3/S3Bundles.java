package dev.e2bjobs.s3;

import dev.e2bjobs.bundle.BundleSource;
import dev.e2bjobs.bundle.Upload;
import dev.e2bjobs.job.InvalidJobRequestException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Uploaded bundles, read from the jobs bucket: the announced version only, never more bytes than allowed. */
@ApplicationScoped
public class S3Bundles implements BundleSource {
    private static final int PRECONDITION_FAILED = 412;
    private final S3Client s3;

    S3Bundles(S3Client s3) {
        this.s3 = s3;
    }

    @Override
    public Optional<byte[]> read(Upload upload, long maxBytes) {
        GetObjectRequest.Builder get = GetObjectRequest.builder().bucket(upload.bucket()).key(upload.key());
        if (upload.versionId() != null) {
            get.versionId(upload.versionId());
        } else if (upload.eTag() != null) {
            get.ifMatch("\"" + upload.eTag() + "\"");
        }
        return read(get.build(), maxBytes);
    }

    @Override
    public Optional<byte[]> read(String bucket, String key) {
        return read(GetObjectRequest.builder().bucket(bucket).key(key).build(), Long.MAX_VALUE);
    }

    @Override
    public List<Listed> list(String bucket, String prefix, int max) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream().limit(max + 1L)
                .map(object -> new Listed(object.key(), object.size())).toList();
    }

    private Optional<byte[]> read(GetObjectRequest request, long maxBytes) {
        try (ResponseInputStream<GetObjectResponse> object = s3.getObject(request)) {
            Long size = object.response().contentLength();
            if (size != null && size > maxBytes) {
                object.abort();
                throw new InvalidJobRequestException("BUNDLE_TOO_LARGE", request.key() + " holds " + size + " bytes; at most " + maxBytes);
            }
            return Optional.of(object.readAllBytes());
        } catch (NoSuchKeyException gone) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == PRECONDITION_FAILED) {
                return Optional.empty(); // replaced since the notification: the new upload's own notification takes it
            }
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
