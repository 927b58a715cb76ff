package dev.e2bjobs.function;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.Map;

/** What an HTTP API (payload 2.0) Lambda integration answers. */
@RegisterForReflection
public record HttpApiResponse(int statusCode, Map<String, String> headers, String body, boolean isBase64Encoded) {
}
