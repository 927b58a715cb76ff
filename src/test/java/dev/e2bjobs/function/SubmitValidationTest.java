package dev.e2bjobs.function;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.e2bjobs.job.JobStore;
import dev.e2bjobs.local.StandIn;
import dev.e2bjobs.local.e2b.LocalE2bAdmin;
import dev.e2bjobs.local.e2b.RouteFamily;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every validation rule: its 4xx and stable code, no job stored, no call to E2B (SubmitValidationIT: on the packaged artifact). */
@QuarkusTest
@TestProfile(SubmitFunctionTest.Submit.class)
class SubmitValidationTest {
    private static final String PY = "\"main.py\":\"print(1)\"";

    static String big(int bytes) {
        return "x".repeat(bytes);
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                Arguments.of("BODY_REQUIRED", null, null),
                Arguments.of("MALFORMED_JSON", "{not json", null),
                Arguments.of("MALFORMED_JSON", "{\"files\":{" + PY + "},\"command\":\"python main.py\",\"timeout\":5}", null),
                Arguments.of("PATH_ABSOLUTE", "{\"files\":{\"/etc/passwd\":\"x\"},\"command\":\"true\"}", null),
                Arguments.of("PATH_TRAVERSAL", "{\"files\":{\"a/../../x\":\"x\"},\"command\":\"true\"}", null),
                Arguments.of("PATH_INVALID", "{\"files\":{\"a//b\":\"x\"},\"command\":\"true\"}", null),
                Arguments.of("PATH_INVALID", "{\"files\":{\"a/./b\":\"x\"},\"command\":\"true\"}", null),
                Arguments.of("PATH_CONFLICT", "{\"files\":{\"a\":\"x\",\"a/b\":\"y\"},\"command\":\"true\"}", null),
                Arguments.of("TOO_MANY_FILES", "{\"files\":{" + manyFiles(201) + "},\"command\":\"true\"}", null),
                Arguments.of("FILE_TOO_LARGE", "{\"files\":{\"a\":\"" + big(4_194_305) + "\"},\"command\":\"true\"}", null),
                Arguments.of("FILES_TOO_LARGE", "{\"files\":{\"a\":\"" + big(2_200_000) + "\",\"b\":\"" + big(2_200_000) + "\"},\"command\":\"true\"}", null),
                Arguments.of("ENCODING_INVALID", "{\"files\":{\"a\":{\"content\":\"x\",\"encoding\":\"latin1\"}},\"command\":\"true\"}", null),
                Arguments.of("CONTENT_INVALID", "{\"files\":{\"a\":{\"content\":\"!!!\",\"encoding\":\"base64\"}},\"command\":\"true\"}", null),
                Arguments.of("CONTENT_INVALID", "{\"files\":{\"a\":null},\"command\":\"true\"}", null),
                Arguments.of("COMMAND_REQUIRED", "{\"files\":{" + PY + "}}", null),
                Arguments.of("COMMAND_INVALID", "{\"files\":{" + PY + "},\"command\":[]}", null),
                Arguments.of("COMMAND_INVALID", "{\"files\":{" + PY + "},\"command\":42}", null),
                Arguments.of("REQUIREMENT_INVALID", "{\"command\":\"true\",\"dependencies\":[\"--index-url=http://evil.example\"]}", null),
                Arguments.of("REQUIREMENT_INVALID", "{\"command\":\"true\",\"dependencies\":[\"git+https://github.com/x/y\"]}", null),
                Arguments.of("REQUIREMENT_INVALID", "{\"command\":\"true\",\"dependencies\":[\"numpy -e .\"]}", null),
                Arguments.of("TOO_MANY_DEPENDENCIES", "{\"command\":\"true\",\"dependencies\":[" + "\"numpy\",".repeat(50) + "\"numpy\"]}", null),
                Arguments.of("ENV_NAME_INVALID", "{\"command\":\"true\",\"env\":{\"1X\":\"v\"}}", null),
                Arguments.of("ENV_VALUE_INVALID", "{\"command\":\"true\",\"env\":{\"X\":\"" + big(4097) + "\"}}", null),
                Arguments.of("ENV_TOO_LARGE", "{\"command\":\"true\",\"env\":{" + manyEnv(9, 4000) + "}}", null),
                Arguments.of("TOO_MANY_ENV", "{\"command\":\"true\",\"env\":{" + manyEnv(101, 1) + "}}", null),
                Arguments.of("TIMEOUT_OUT_OF_RANGE", "{\"command\":\"true\",\"timeoutSeconds\":0}", null),
                Arguments.of("TIMEOUT_OUT_OF_RANGE", "{\"command\":\"true\",\"timeoutSeconds\":99999}", null),
                Arguments.of("TEMPLATE_NOT_ALLOWED", "{\"command\":\"true\",\"template\":\"gpu-xl\"}", null),
                Arguments.of("RESULT_PATH_INVALID", "{\"command\":\"true\",\"resultPaths\":[\"/etc/\"]}", null),
                Arguments.of("LABEL_INVALID", "{\"command\":\"true\",\"labels\":{\"bad key!\":\"v\"}}", null),
                Arguments.of("WAIT_NOT_SUPPORTED", "{\"command\":\"true\"}", "wait=5"),
                Arguments.of("MALFORMED_JSON", "{\"command\":\"true\",\"network\":{\"egress\":\"all\"}}", null),
                Arguments.of("CALLBACK_URL_INVALID", "{\"command\":\"true\",\"callbackUrl\":\"https://169.254.169.254/latest/meta-data\"}", null),
                Arguments.of("CALLBACK_URL_INVALID", "{\"command\":\"true\",\"callbackUrl\":\"https://10.0.0.1/hook\"}", null),
                Arguments.of("CALLBACK_URL_INVALID", "{\"command\":\"true\",\"callbackUrl\":\"http://hooks.example.com/\"}", null),
                Arguments.of("CALLBACK_URL_INVALID", "{\"command\":\"true\",\"callbackUrl\":\"https://localhost/hook\"}", null));
    }

    private static String manyFiles(int count) {
        StringBuilder files = new StringBuilder();
        for (int i = 0; i < count; i++) {
            files.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":\"x\"");
        }
        return files.toString();
    }

    private static String manyEnv(int count, int size) {
        StringBuilder env = new StringBuilder();
        for (int i = 0; i < count; i++) {
            env.append(i == 0 ? "" : ",").append("\"V").append(i).append("\":\"").append(big(size)).append('"');
        }
        return env.toString();
    }

    @StandIn
    JobStore store;

    @StandIn
    LocalE2bAdmin e2b;

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void isRejectedWithItsCodeAndLeavesNoTrace(String code, String body, String query) {
        String owner = "validation-" + UUID.randomUUID();
        long e2bCalls = e2b.requests(RouteFamily.CONTROL);

        Lambda.Answer answer = Lambda.http("http-api-post-jobs.json", event -> {
            Lambda.asOwner(owner).accept(event);
            event.put("routeKey", "POST /jobs");
            if (body == null) {
                event.remove("body");
            } else {
                event.put("body", body);
            }
            if (query != null) {
                String[] kv = query.split("=", 2);
                event.putObject("queryStringParameters").put(kv[0], kv[1]);
            }
        });

        assertEquals(400, answer.status(), answer.body().toString());
        assertEquals("application/problem+json", answer.contentType());
        assertEquals(code, answer.body().path("code").asText(), answer.body().toString());
        assertEquals(0, store.list("jwt:" + owner, null, null, null, 10).jobs().size(), "nothing stored");
        assertEquals(e2bCalls, e2b.requests(RouteFamily.CONTROL), "no sandbox created");
    }
}
