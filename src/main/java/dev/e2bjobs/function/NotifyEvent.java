package dev.e2bjobs.function;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** The notify function's event: the ended job whose callback to deliver. */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record NotifyEvent(String jobId) {
}
