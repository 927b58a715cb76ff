package dev.e2bjobs.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SpecVersion;
import dev.e2bjobs.dynamodb.JobTableSchemas;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * template.yaml checked against SAM's schema, against itself (references, parameters) and against the
 * code (exports, routes, event targets, policies, the table). Each check passes on the template and
 * reports a defect planted in a copy of it, so a check that can never fail would show here.
 * The schemas are read from {@code ../shared/schemas} (beside the project), or from the directory the
 * system property {@code e2bjobs.schemas} names.
 */
class TemplateTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static SamTemplate template;
    private static JsonSchema schema;
    private static JsonNode policyTemplates;
    private static SourceFacts code;

    @BeforeAll
    static void read() throws Exception {
        template = SamTemplate.read(Path.of("template.yaml"));
        Path schemas = Path.of(System.getProperty("e2bjobs.schemas", "../shared/schemas"));
        assertTrue(Files.isRegularFile(schemas.resolve("sam.schema.json")),
                "SAM's schema is not at " + schemas.toAbsolutePath() + " (set -De2bjobs.schemas=<dir>)");
        // draft-04 plus SAM's two annotation keywords, which validate nothing
        JsonMetaSchema draft4 = JsonMetaSchema.builder(JsonMetaSchema.getV4())
                .keywords(List.of(new NonValidationKeyword("markdownDescription"), new NonValidationKeyword("__samPassThrough"))).build();
        schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4, factory -> factory.metaSchema(draft4))
                .getSchema(JSON.readTree(schemas.resolve("sam.schema.json").toFile()));
        policyTemplates = JSON.readTree(schemas.resolve("policy_templates.json").toFile());
        code = SourceFacts.scan(Path.of("src/main/java"));
    }

    // ---- the template passes ----------------------------------------------------------------

    @Test
    void theTemplateIsValidSamForEitherValueOfItsConditions() {
        assertEquals(List.of(), TemplateChecks.schema(template, schema));
    }

    @Test
    void everyReferenceResolvesAndEveryParameterIsUsed() {
        assertEquals(List.of(), TemplateChecks.references(template));
        assertEquals(List.of(), TemplateChecks.unused(template));
    }

    @Test
    void everyExportIsAFunqMethodAndEveryRouteIsServed() {
        assertEquals(List.of(), TemplateChecks.exports(template, code));
        assertEquals(List.of(), TemplateChecks.routes(template, code));
        assertEquals(List.of(), TemplateChecks.eventTargets(template));
    }

    @Test
    void everyPolicyIsScopedToTheStack() {
        assertEquals(List.of(), TemplateChecks.policies(template, policyTemplates));
    }

    @Test
    void theTableIsTheOneTheAdapterDeclares() {
        assertEquals(List.of(), table(template));
    }

    @Test
    void theSourcesDeclareTheExportsAndRoutes() {
        assertEquals(Set.of("submit", "ingest", "status", "cancel", "environments", "launch", "follow", "notify", "sweep"), code.routes().keySet());
        assertEquals(Set.of("POST /jobs", "POST /jobs/batch"), code.routes().get("submit"));
    }

    @Test
    void theTableAndBucketOutliveTheStackTheSweepReservesNothingByDefaultAndTheTemplatesAreAParameter() {
        for (String stateful : List.of("JobsTable", "ArtifactsBucket")) {
            assertEquals("Retain", template.resource(stateful).path("DeletionPolicy").asText(), stateful);
            assertEquals("Retain", template.resource(stateful).path("UpdateReplacePolicy").asText(), stateful);
        }
        assertEquals(0, template.root().at("/Parameters/SweepReservedConcurrency/Default").asInt());
        assertEquals("{\"Fn::Join\":[\",\",{\"Ref\":\"AllowedTemplates\"}]}",
                template.root().at("/Globals/Function/Environment/Variables/E2BJOBS_JOBS_TEMPLATES").toString());
    }

    // ---- a planted defect of each kind is reported ------------------------------------------

    @Test
    void aMisspeltPropertyFailsTheSchema() {
        SamTemplate planted = template.copy();
        ObjectNode launch = (ObjectNode) planted.resource("LaunchFunction").path("Properties");
        launch.set("Timout", launch.remove("Timeout"));
        assertReported("Timout", TemplateChecks.schema(planted, schema));
    }

    @Test
    void aDefaultAuthorizerOfTheWrongShapeFailsTheSchema() {
        SamTemplate planted = template.copy();
        ObjectNode auth = (ObjectNode) planted.resource("HttpApi").path("Properties").path("Auth");
        auth.set("DefaultAuthorizer", JSON.createArrayNode().add("AWS_IAM"));
        assertReported("DefaultAuthorizer", TemplateChecks.schema(planted, schema));
    }

    @Test
    void aDanglingRefGetAttOrSubVariableIsReported() {
        SamTemplate planted = template.copy();
        ((ObjectNode) planted.resource("SubmitFunction").path("Properties").path("Policies").path(0).path("DynamoDBCrudPolicy"))
                .set("TableName", JSON.createObjectNode().put("Ref", "JobTable"));
        ((ObjectNode) planted.root().path("Outputs").path("ApiUrl")).set("Value",
                JSON.createObjectNode().put("Fn::Sub", "https://${HttpApii}.execute-api.${AWS::Region}.amazonaws.com"));
        ((ObjectNode) planted.resource("HttpApi").path("Properties").path("AccessLogSettings")).set("DestinationArn",
                JSON.createObjectNode().set("Fn::GetAtt", JSON.createArrayNode().add("HttpApiAccessLog").add("Arn")));
        List<String> problems = TemplateChecks.references(planted);
        assertReported("JobTable is neither", problems);
        assertReported("HttpApii is neither", problems);
        assertReported("HttpApiAccessLog is not a resource", problems);
    }

    @Test
    void aSubsOwnVariablesAreNoReferences() {
        SamTemplate sub = SamTemplate.parse("""
                Resources:
                  Bucket:
                    Type: AWS::S3::Bucket
                    Properties:
                      BucketName: !Sub ['b-${Id}-${AWS::Region}', {Id: !Select [2, !Split ['/', !Ref AWS::StackId]]}]
                """);
        assertEquals(List.of(), TemplateChecks.references(sub));
    }

    @Test
    void anUnusedParameterIsReported() {
        SamTemplate planted = template.copy();
        ((ObjectNode) planted.root().path("Parameters")).set("Forgotten", JSON.createObjectNode().put("Type", "String"));
        assertEquals(List.of("parameter Forgotten is never used"), TemplateChecks.unused(planted));
    }

    @Test
    void anExportWithNoFunqMethodIsReported() {
        SamTemplate planted = template.copy();
        variables(planted, "NotifyFunction").put("QUARKUS_FUNQY_EXPORT", "notfy");
        assertEquals(List.of("NotifyFunction exports notfy, which no @Funq method is named"), TemplateChecks.exports(planted, code));
    }

    @Test
    void aRouteTheCodeDoesNotServeAndARouteWithoutItsEventAreReported() {
        SamTemplate planted = template.copy();
        ObjectNode events = (ObjectNode) planted.resource("CancelFunction").path("Properties").path("Events");
        events.set("PutJob", events.path("DeleteJob").deepCopy());
        ((ObjectNode) events.path("PutJob").path("Properties")).put("Method", "PUT");
        ((ObjectNode) planted.resource("StatusFunction").path("Properties").path("Events")).remove("ListJobs");
        List<String> problems = TemplateChecks.routes(planted, code);
        assertReported("CancelFunction.PutJob: PUT /jobs/{jobId} is not a route cancel serves", problems);
        assertReported("status serves GET /jobs, but no HttpApi event", problems);
        assertEquals(2, problems.size(), problems.toString());
    }

    @Test
    void aScheduleOrS3EventOnTheWrongFunctionIsReported() {
        SamTemplate planted = template.copy();
        ObjectNode sweep = (ObjectNode) planted.resource("SweepFunction").path("Properties").path("Events");
        ((ObjectNode) planted.resource("LaunchFunction").path("Properties")).set("Events", JSON.createObjectNode().set("Schedule", sweep.remove("Schedule")));
        ObjectNode ingest = (ObjectNode) planted.resource("IngestFunction").path("Properties").path("Events");
        ((ObjectNode) planted.resource("SweepFunction").path("Properties")).set("Events", JSON.createObjectNode().set("Zip", ingest.get("ZipBundle")));
        List<String> problems = TemplateChecks.eventTargets(planted);
        assertReported("LaunchFunction.Schedule: a Schedule event goes to launch, not sweep", problems);
        assertReported("SweepFunction.Zip: a S3 event goes to sweep, not ingest", problems);
    }

    @Test
    void aResourceStarIsReported() {
        SamTemplate planted = template.copy();
        ((ObjectNode) planted.resource("SubmitFunction").path("Properties").path("Policies").path(1).path("Statement").path(0)).put("Resource", "*");
        List<String> problems = TemplateChecks.policies(planted, policyTemplates);
        assertEquals(1, problems.size(), problems.toString());
        assertReported("SubmitFunction.Policies[1].Statement[0]: Resource '*' for [", problems);
    }

    @Test
    void aResourceStarIsAllowedOnlyWhereIamRequiresItAndWithAComment() {
        String function = """
                Resources:
                  F:
                    Type: AWS::Serverless::Function
                    Properties:
                      Policies:
                        - Statement:
                            - {Effect: Allow, Action: cloudwatch:PutMetricData, Resource: '*'}%s
                        - CloudWatchPutMetricPolicy: {}%s
                """;
        assertEquals(List.of(), TemplateChecks.policies(SamTemplate.parse(function.formatted(" # takes no resource", " # no resource either")),
                policyTemplates));
        List<String> uncommented = TemplateChecks.policies(SamTemplate.parse(function.formatted("", "")), policyTemplates);
        assertReported("F.Policies[0].Statement[0]: Resource '*' (required for [cloudwatch:PutMetricData]) needs a comment", uncommented);
        assertReported("F.Policies[1] (CloudWatchPutMetricPolicy): Resource '*' (required for [cloudwatch:PutMetricData]) needs a comment",
                uncommented);
    }

    @Test
    void aPolicyTemplateOnSomethingNotTheStacksOrWithWrongParametersIsReported() {
        SamTemplate planted = template.copy();
        ArrayNode policies = (ArrayNode) planted.resource("SweepFunction").path("Properties").path("Policies");
        ((ObjectNode) policies.path(0).path("DynamoDBCrudPolicy")).put("TableName", "someone-elses-table");
        policies.add(JSON.createObjectNode().set("LambdaInvokePolicy", JSON.createObjectNode().put("Function", "x")));
        policies.add("AdministratorAccess");
        List<String> problems = TemplateChecks.policies(planted, policyTemplates);
        assertReported("SweepFunction.Policies[0]: DynamoDBCrudPolicy.TableName \"someone-elses-table\" is not one of the stack's own", problems);
        assertReported("LambdaInvokePolicy takes [FunctionName], not [Function]", problems);
        assertReported("managed policy AdministratorAccess is not scoped", problems);
    }

    @Test
    void aWrongIndexNameOrKeyIsReported() {
        SamTemplate planted = template.copy();
        ArrayNode indexes = (ArrayNode) planted.resource("JobsTable").path("Properties").path("GlobalSecondaryIndexes");
        ((ObjectNode) indexes.path(2)).put("IndexName", "owner");
        ((ObjectNode) indexes.path(0).path("KeySchema").path(1)).put("AttributeName", "createdAt");
        List<String> problems = table(planted);
        assertReported("indexes [active, owner, queued] are not the adapter's [active, byOwner, queued]", problems);
        assertReported("index queued's key {HASH=queuedKey, RANGE=createdAt} is not the adapter's {HASH=queuedKey, RANGE=jobId}", problems);
    }

    private static List<String> table(SamTemplate template) {
        Set<String> ttlCarriers = new HashSet<>(JobTableSchemas.JOB.attributeNames());
        ttlCarriers.retainAll(JobTableSchemas.IDEMPOTENCY.attributeNames());
        return TemplateChecks.table(template, JobTableSchemas.JOB.tableMetadata(), JobTableSchemas.IDEMPOTENCY.tableMetadata(),
                JobTableSchemas.SUMMARY_ATTRIBUTES, JobTableSchemas.OWNER_INDEX, ttlCarriers);
    }

    private static ObjectNode variables(SamTemplate template, String function) {
        return (ObjectNode) template.resource(function).path("Properties").path("Environment").path("Variables");
    }

    private static void assertReported(String expected, List<String> problems) {
        assertTrue(problems.stream().anyMatch(problem -> problem.contains(expected)), "expected «" + expected + "» among " + problems);
    }
}
