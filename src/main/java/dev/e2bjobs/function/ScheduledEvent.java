package dev.e2bjobs.function;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/** An EventBridge scheduled event (the fields we log). */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record ScheduledEvent(String id, @JsonProperty("detail-type") String detailType, String source, Instant time) {
}
