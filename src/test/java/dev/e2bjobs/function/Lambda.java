package dev.e2bjobs.function;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Invokes the exported function through Quarkus' Lambda mock event server with an event from
 * infra/events, adjusted per test (body, path parameters, query, headers).
 */
final class Lambda {
    static final ObjectMapper JSON = new ObjectMapper();

    /** An HTTP API answer: status, parsed JSON body and headers. */
    record Answer(int status, JsonNode body, JsonNode headers) {

        String contentType() {
            return headers.path("content-type").asText();
        }
    }

    private Lambda() {
    }

    static ObjectNode event(String file) {
        try {
            return (ObjectNode) JSON.readTree(Path.of("infra/events", file).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Raw function output for a non-HTTP event. */
    static JsonNode invoke(JsonNode event) {
        String out = given().contentType(ContentType.JSON).body(event.toString()).when().post()
                .then().statusCode(200).extract().asString();
        try {
            return JSON.readTree(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Answer http(String file, Consumer<ObjectNode> change) {
        ObjectNode event = event(file);
        change.accept(event);
        JsonNode response = invoke(event);
        try {
            return new Answer(response.path("statusCode").asInt(), JSON.readTree(response.path("body").asText()),
                    response.path("headers"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** POST /jobs with a job body (and optional query / headers). */
    static Answer submit(JsonNode job, String query, String idempotencyKey) {
        return http("http-api-post-jobs.json", event -> {
            event.put("body", job.toString());
            if (query != null) {
                String[] kv = query.split("=", 2);
                event.putObject("queryStringParameters").put(kv[0], kv[1]);
                event.put("rawQueryString", query);
            }
            if (idempotencyKey != null) {
                ((ObjectNode) event.path("headers")).put("idempotency-key", idempotencyKey);
            }
        });
    }

    /** The request as a JWT caller's: the owner is the token's subject. */
    static Consumer<ObjectNode> asOwner(String subject) {
        return event -> event.putObject("requestContext").putObject("authorizer").putObject("jwt").putObject("claims").put("sub", subject);
    }

    static Consumer<ObjectNode> jobId(String jobId) {
        return event -> event.putObject("pathParameters").put("jobId", jobId);
    }
}
