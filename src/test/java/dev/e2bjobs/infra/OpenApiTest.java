package dev.e2bjobs.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.e2bjobs.function.EnvironmentView;
import dev.e2bjobs.function.JobBody;
import dev.e2bjobs.function.JobListView;
import dev.e2bjobs.function.JobView;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * infra/openapi.yaml, what clients are generated from: valid OpenAPI 3 to a real parser (swagger-parser),
 * every operation named, and each schema with exactly the fields of the record the code writes or reads
 * there (each check shown failing on a planted defect).
 */
class OpenApiTest {
    private static final Path FILE = Path.of("infra/openapi.yaml");

    /** A schema ("Name", "Name.property" or "Name.property[]" for its items) and the wire record it documents. */
    static final Map<String, Class<? extends Record>> WIRE = new LinkedHashMap<>();

    static {
        WIRE.put("JobRequest", JobBody.class);
        WIRE.put("JobRequest.network", JobBody.Network.class);
        WIRE.put("Job", JobView.class);
        WIRE.put("Job.results[]", JobView.Result.class);
        WIRE.put("Job.callback", JobView.Callback.class);
        WIRE.put("Job.environment", JobView.Environment.class);
        WIRE.put("EnvironmentPage", EnvironmentView.Page.class);
        WIRE.put("Environment", EnvironmentView.class);
        WIRE.put("Output", JobView.Output.class);
        WIRE.put("Error", JobView.Error.class);
        WIRE.put("JobPage", JobListView.class);
        WIRE.put("JobSummary", JobListView.Summary.class);
    }

    private static SwaggerParseResult parse(String yaml) {
        ParseOptions options = new ParseOptions();
        options.setValidateInternalRefs(true);
        return new OpenAPIV3Parser().readContents(yaml, null, options);
    }

    private static String file() throws IOException {
        return Files.readString(FILE);
    }

    /** The differences between the schemas and the records, one line each; empty when they are in step. */
    static List<String> drift(OpenAPI api) {
        List<String> drift = new ArrayList<>();
        WIRE.forEach((where, record) -> {
            Set<String> documented = new TreeSet<>(schema(api, where).getProperties().keySet());
            Set<String> coded = new TreeSet<>(Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName).toList());
            if (!documented.equals(coded)) {
                Set<String> undocumented = new TreeSet<>(coded);
                undocumented.removeAll(documented);
                documented.removeAll(coded);
                drift.add(where + ": in the code, not the schema " + undocumented + "; in the schema, not the code " + documented);
            }
        });
        return drift;
    }

    private static Schema<?> schema(OpenAPI api, String where) {
        String[] parts = where.split("\\.");
        Schema<?> schema = api.getComponents().getSchemas().get(parts[0]);
        if (parts.length > 1) {
            String property = parts[1].replace("[]", "");
            schema = schema.getProperties().get(property);
            schema = parts[1].endsWith("[]") ? schema.getItems() : schema;
        }
        return schema;
    }

    @Test
    void theFileIsValidOpenApi3WithServersSecurityAndEveryOperationNamed() throws IOException {
        SwaggerParseResult result = parse(file());

        assertEquals(List.of(), result.getMessages());
        OpenAPI api = result.getOpenAPI();
        assertFalse(api.getServers().isEmpty());
        assertFalse(api.getSecurity().isEmpty());
        List<String> ids = new ArrayList<>();
        api.getPaths().values().forEach(path -> path.readOperations().stream().map(Operation::getOperationId).forEach(ids::add));
        assertEquals(Set.of("submitJob", "listJobs", "submitJobs", "getJob", "cancelJob", "listEnvironments", "deleteEnvironment"),
                Set.copyOf(ids));
        assertEquals(7, ids.size(), "one id per operation");
    }

    @Test
    void aMalformedFileIsRejected() throws IOException {
        // the defect this file once had: an unquoted comma in a flow map splits a description into a stray key
        String planted = file().replace("description: \"key:value\"}", "description: key, value}");

        assertFalse(parse(planted).getMessages().isEmpty(), "the parser reports it");
    }

    @Test
    void itsSchemasHaveExactlyTheFieldsOfTheWireRecords() throws IOException {
        assertEquals(List.of(), drift(parse(file()).getOpenAPI()));
    }

    @Test
    void aFieldTheSchemaLacksOrOneTheCodeDoesNotHaveIsCaught() throws IOException {
        String planted = file()
                .replace("        resultsPrefix: {type: string,", "        resultsPrefixx: {type: string,")
                .replace("        truncated: {type: boolean}", "        truncated: {type: boolean}\n        lines: {type: integer}");

        List<String> drift = drift(parse(planted).getOpenAPI());

        assertEquals(2, drift.size(), drift.toString());
        assertTrue(drift.get(0).startsWith("Job: in the code, not the schema [resultsPrefix]; in the schema, not the code [resultsPrefixx]"), drift.toString());
        assertTrue(drift.get(1).startsWith("Output: in the code, not the schema []; in the schema, not the code [lines]"), drift.toString());
    }
}
