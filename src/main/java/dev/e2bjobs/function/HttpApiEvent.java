package dev.e2bjobs.function;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.Map;

/**
 * An API Gateway HTTP API request, payload format 2.0 — the fields we read (our own record: the AWS
 * event classes do not all deserialize under Funqy).
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record HttpApiEvent(String version, String routeKey, String rawPath, String rawQueryString,
        Map<String, String> headers, Map<String, String> queryStringParameters, Map<String, String> pathParameters,
        RequestContext requestContext, String body, boolean isBase64Encoded) {

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RequestContext(String requestId, String routeKey, Http http, Authorizer authorizer) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Http(String method, String path, String sourceIp) {
    }

    /** JWT claims (a JWT authorizer) or the IAM caller (an IAM authorizer), whichever the route uses. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Authorizer(Jwt jwt, Iam iam) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Jwt(Map<String, Object> claims) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Iam(String userArn, String callerId) {
    }
}
