package dev.e2bjobs.bundle;

/**
 * One object S3 says was created: its bucket, its key (decoded), and which version of it: the version
 * id in a versioned bucket, else the ETag (null when S3 gave none).
 */
public record Upload(String bucket, String key, String versionId, String eTag) {

    /** The upload's identity, the same however often S3 announces it: the idempotency key of its job. */
    public String id() {
        return "s3://" + bucket + "/" + key + "#" + (versionId != null ? "v:" + versionId : "etag:" + eTag);
    }
}
