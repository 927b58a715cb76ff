package dev.e2bjobs.function;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** The follow function's event: the running job to wait for (Lambda asynchronous invoke from launch, or from itself). */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record FollowEvent(String jobId) {
}
