package dev.e2bjobs.function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.e2bjobs.environment.EnvironmentNotFoundException;
import dev.e2bjobs.job.IdempotencyConflictException;
import dev.e2bjobs.job.InvalidJobRequestException;
import dev.e2bjobs.job.JobNotFoundException;
import dev.e2bjobs.job.JobRequestException;
import dev.e2bjobs.job.QuotaExceededException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The one adapter between API Gateway's HTTP API (payload 2.0) and the job service: decodes the
 * request (body, path and query parameters, caller identity), runs the route, and answers JSON, or
 * problem JSON (RFC 9457) with a stable {@code code} for every error.
 */
@ApplicationScoped
public class HttpEdge {
    private static final Logger LOG = Logger.getLogger(HttpEdge.class);
    /** A function's answer: a status, a body to serialise, and headers beyond the content type. */
    public record Result(int status, Object body, Map<String, String> headers) {
        /** 204: done, nothing to say. */
        public static final Result NO_CONTENT = new Result(204, null);

        public Result(int status, Object body) {
            this(status, body, Map.of());
        }
    }

    /** The longest a GET may wait for a job: within API Gateway's 29-second integration limit, with room to finalize. */
    static final Duration MAX_WAIT = Duration.ofSeconds(20);

    private final ObjectMapper json;
    private final ObjectMapper strictJson;

    HttpEdge(ObjectMapper json) {
        this.json = json;
        // a misspelt field ("timeout" for "timeoutSeconds") must not be silently dropped
        this.strictJson = json.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    public HttpApiResponse handle(HttpApiEvent event, Function<HttpRequest, Result> routes) {
        try {
            return answer(routes.apply(request(event)));
        } catch (JobRequestException e) {
            HttpApiResponse problem = respond(statusOf(e), "application/problem+json", problem(e));
            return e instanceof QuotaExceededException
                    ? withHeader(problem, "retry-after", String.valueOf(QuotaExceededException.RETRY_AFTER.toSeconds())) : problem;
        } catch (RuntimeException | JsonProcessingException e) {
            LOG.errorf(e, "%s failed", event.routeKey());
            return respond(500, "application/problem+json", problem(500, "INTERNAL",
                    "the request could not be completed; it is safe to retry with the same Idempotency-Key"));
        }
    }

    private HttpApiResponse answer(Result result) throws JsonProcessingException {
        if (result.body() == null) {
            return new HttpApiResponse(result.status(), result.headers(), "", false);
        }
        Map<String, String> headers = new HashMap<>(result.headers());
        headers.put("content-type", "application/json");
        return new HttpApiResponse(result.status(), headers, json.writeValueAsString(result.body()), false);
    }

    /** The body as a T, strictly: unknown fields and malformed JSON are 400 MALFORMED_JSON. */
    public <T> T body(HttpRequest request, Class<T> type) {
        if (request.body().length == 0) {
            throw new InvalidJobRequestException("BODY_REQUIRED", "this route needs a JSON body");
        }
        return parse(request.body(), type);
    }

    /** A JSON document as a T, as strictly as a request body. */
    public <T> T parse(byte[] document, Class<T> type) {
        try {
            return strictJson.readValue(document, type);
        } catch (IOException e) {
            throw new InvalidJobRequestException("MALFORMED_JSON", "the body is not a valid job: " + e.getMessage().split("\n")[0]);
        }
    }

    /** The {@code wait} query parameter in seconds (0..20), for routes that may wait for the job. */
    public Duration waitParameter(HttpRequest request) {
        String value = request.query("wait");
        if (value == null) {
            return Duration.ZERO;
        }
        try {
            Duration wait = Duration.ofSeconds(Long.parseLong(value));
            if (!wait.isNegative() && wait.compareTo(MAX_WAIT) <= 0) {
                return wait;
            }
        } catch (NumberFormatException e) {
            // fall through to the rejection
        }
        throw new InvalidJobRequestException("WAIT_INVALID", "wait must be a whole number of seconds within 0.." + MAX_WAIT.toSeconds());
    }

    /** A route the function does not serve: template.yaml sends it elsewhere. */
    public static IllegalStateException routeNotServed(HttpRequest request) {
        return new IllegalStateException("this function does not serve " + request.route());
    }

    private HttpRequest request(HttpApiEvent event) {
        Map<String, String> headers = new HashMap<>();
        if (event.headers() != null) {
            event.headers().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
        }
        byte[] body = event.body() == null ? new byte[0]
                : event.isBase64Encoded() ? Base64.getDecoder().decode(event.body()) : event.body().getBytes(StandardCharsets.UTF_8);
        return new HttpRequest(event.routeKey(), owner(event), headers,
                event.queryStringParameters() == null ? Map.of() : event.queryStringParameters(),
                event.pathParameters() == null ? Map.of() : event.pathParameters(), body);
    }

    /** The caller: a JWT's subject or the IAM caller; "anonymous" on routes without an authorizer. */
    static String owner(HttpApiEvent event) {
        HttpApiEvent.Authorizer authorizer = event.requestContext() == null ? null : event.requestContext().authorizer();
        if (authorizer != null && authorizer.jwt() != null && authorizer.jwt().claims() != null
                && authorizer.jwt().claims().get("sub") != null) {
            return "jwt:" + authorizer.jwt().claims().get("sub");
        }
        if (authorizer != null && authorizer.iam() != null && authorizer.iam().userArn() != null) {
            return "iam:" + authorizer.iam().userArn();
        }
        return "anonymous";
    }

    /** The problem JSON (RFC 9457) the API answers a refused request with. */
    public String problem(JobRequestException refused) {
        return problem(statusOf(refused), refused.code(), refused.getMessage());
    }

    private static int statusOf(JobRequestException refused) {
        if (refused instanceof JobNotFoundException || refused instanceof EnvironmentNotFoundException) {
            return 404;
        }
        if (refused instanceof IdempotencyConflictException) {
            return 409;
        }
        return refused instanceof QuotaExceededException ? 429 : 400;
    }

    private String problem(int status, String code, String detail) {
        return json.createObjectNode()
                .put("type", "https://e2b-jobs.dev/problems/" + code.toLowerCase(Locale.ROOT).replace('_', '-'))
                .put("title", code)
                .put("status", status)
                .put("code", code)
                .put("detail", detail)
                .toString();
    }

    private static HttpApiResponse withHeader(HttpApiResponse response, String name, String value) {
        Map<String, String> headers = new HashMap<>(response.headers());
        headers.put(name, value);
        return new HttpApiResponse(response.statusCode(), headers, response.body(), response.isBase64Encoded());
    }

    private static HttpApiResponse respond(int status, String contentType, String body) {
        return new HttpApiResponse(status, Map.of("content-type", contentType), body, false);
    }
}
