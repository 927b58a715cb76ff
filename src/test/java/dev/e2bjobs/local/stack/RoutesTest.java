package dev.e2bjobs.local.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.e2bjobs.local.s3.S3Notifications;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutesTest {

    @Test
    void everyExportedFunctionIsAFunctionEventsOrNotWithItsReservedConcurrencyWhereANumber(@TempDir Path dir) throws Exception {
        Path template = Files.writeString(dir.resolve("template.yaml"), """
                Resources:
                  SweepFunction:
                    Type: AWS::Serverless::Function
                    Properties:
                      ReservedConcurrentExecutions: 1
                      Environment: {Variables: {QUARKUS_FUNQY_EXPORT: sweep}}
                      Events: {Schedule: {Type: Schedule, Properties: {Schedule: rate(1 minute)}}}
                  LaunchFunction:
                    Type: AWS::Serverless::Function
                    Properties:
                      Environment: {Variables: {QUARKUS_FUNQY_EXPORT: launch}}
                  FollowFunction:
                    Type: AWS::Serverless::Function
                    Properties:
                      ReservedConcurrentExecutions: !If [Reserve, !Ref FollowConcurrency, !Ref AWS::NoValue]
                      Environment: {Variables: {QUARKUS_FUNQY_EXPORT: follow}}
                  SweepLogs:
                    Type: AWS::Logs::LogGroup
                """);
        Routes routes = Routes.read(template);
        assertEquals(List.of("follow", "launch", "sweep"), routes.functions());
        assertEquals(Map.of("sweep", 1), routes.reservedConcurrency());
        assertEquals(List.of("sweep"), routes.scheduled());
        assertEquals(List.of(), routes.http());
        assertEquals(Map.of(), routes.s3());
    }

    @Test
    void ingestTakesTheBucketsZipAndFolderBundlesUnderTheIngestPrefixDefault() throws Exception {
        Routes routes = Routes.read(Path.of("template.yaml"));
        assertEquals(Map.of("ingest", List.of(new S3Notifications.Rule("ZipBundle", "jobs/", ".zip"),
                new S3Notifications.Rule("FolderBundle", "jobs/", "/job.json"))), routes.s3());
    }

    @Test
    void anS3EventsFilterTakesLiteralsAndParameterDefaultsAndOnlyObjectCreationCounts(@TempDir Path dir) throws Exception {
        Path template = Files.writeString(dir.resolve("template.yaml"), """
                Parameters:
                  Suffix: {Type: String, Default: .tar}
                Resources:
                  IngestFunction:
                    Type: AWS::Serverless::Function
                    Properties:
                      Environment: {Variables: {QUARKUS_FUNQY_EXPORT: ingest}}
                      Events:
                        Tars:
                          Type: S3
                          Properties:
                            Bucket: !Ref Bucket
                            Events: [s3:ObjectRemoved:*, s3:ObjectCreated:Put]
                            Filter: {S3Key: {Rules: [{Name: prefix, Value: in/}, {Name: suffix, Value: !Ref Suffix}]}}
                        Everything: {Type: S3, Properties: {Bucket: !Ref Bucket, Events: s3:ObjectCreated:*}}
                        Removals: {Type: S3, Properties: {Bucket: !Ref Bucket, Events: s3:ObjectRemoved:*}}
                """);
        assertEquals(Map.of("ingest", List.of(new S3Notifications.Rule("Tars", "in/", ".tar"), new S3Notifications.Rule("Everything", "", ""))),
                Routes.read(template).s3());
    }
}
