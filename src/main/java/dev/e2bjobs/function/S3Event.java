package dev.e2bjobs.function;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.e2bjobs.bundle.Upload;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An S3 event notification as S3 delivers it to Lambda (the fields ingest reads). S3's test event,
 * sent when a notification is configured, has no records.
 */
@RegisterForReflection
public record S3Event(@JsonProperty("Records") List<Notice> records) {

    /** One record: what happened to which object. */
    @RegisterForReflection
    public record Notice(String eventName, Entity s3) {

        boolean created() {
            return eventName != null && eventName.startsWith("ObjectCreated:");
        }

        /** The object; S3 sends its key URL-encoded (form encoding: a space is '+'). */
        Upload upload() {
            return new Upload(s3.bucket().name(), URLDecoder.decode(s3.object().key(), StandardCharsets.UTF_8), s3.object().versionId(),
                    s3.object().eTag());
        }
    }

    @RegisterForReflection
    public record Entity(Bucket bucket, StoredObject object) {
    }

    @RegisterForReflection
    public record Bucket(String name) {
    }

    @RegisterForReflection
    public record StoredObject(String key, Long size, String eTag, String versionId, String sequencer) {
    }
}
