package dev.e2bjobs.dynamodb;

import dev.e2bjobs.job.Job;
import dev.e2bjobs.job.JobIds;
import dev.e2bjobs.job.JobRequest;
import dev.e2bjobs.job.JobSpec;
import dev.e2bjobs.job.JobValidator;
import dev.e2bjobs.job.TestSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.model.WriteBatch;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Writes many ended jobs straight into a jobs table, in the adapter's stored shape and in batches of 25
 * (DynamoDB's most per BatchWriteItem): a history as long as a busy deployment's, for the benchmark's sweep.
 */
public final class EndedJobsSeed {
    private static final int BATCH = 25;

    private EndedJobsSeed() {
    }

    public static void write(DynamoDbClient client, String table, String owner, int count) {
        DynamoDbEnhancedClient enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(client).build();
        DynamoDbTable<JobItem> jobs = enhanced.table(table, JobTableSchemas.JOB);
        JobSpec spec = new JobValidator(TestSettings.DEFAULTS).validate(new JobRequest(Map.of("main.py", JobRequest.FileContent.text("print(1)")),
                "python main.py", null, null, null, null, 60, null, null, null, null));
        for (int written = 0; written < count; written += BATCH) {
            WriteBatch.Builder<JobItem> batch = WriteBatch.builder(JobItem.class).mappedTableResource(jobs);
            for (int i = written; i < Math.min(count, written + BATCH); i++) {
                Instant now = Instant.now();
                Job ended = Job.queued(JobIds.next(now), owner, spec, now).cancelled(now);
                batch.addPutItem(JobItems.item(ended, 1, Duration.ofDays(30)));
            }
            if (!enhanced.batchWriteItem(b -> b.addWriteBatch(batch.build())).unprocessedPutItemsForTable(jobs).isEmpty()) {
                throw new IllegalStateException("DynamoDB left items of a batch unwritten");
            }
        }
    }
}
