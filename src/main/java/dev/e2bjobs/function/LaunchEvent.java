package dev.e2bjobs.function;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** The launch function's event, sent by the other functions through Lambda's asynchronous invoke. */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record LaunchEvent(String reason, List<String> jobIds) {

    public List<String> jobIdsOrNone() {
        return jobIds == null ? List.of() : jobIds;
    }
}
