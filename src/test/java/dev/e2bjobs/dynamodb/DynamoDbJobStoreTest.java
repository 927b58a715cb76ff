package dev.e2bjobs.dynamodb;

import dev.e2bjobs.job.JobStore;
import dev.e2bjobs.job.JobStoreContract;
import dev.e2bjobs.local.dynamodb.SharedDynamoDbLocal;
import java.time.Duration;

/** The DynamoDB store keeps the JobStore contract, on DynamoDB Local with the production table layout. */
class DynamoDbJobStoreTest extends JobStoreContract {

    @Override
    protected JobStore newStore() {
        return new DynamoDbJobStore(SharedDynamoDbLocal.client(), SharedDynamoDbLocal.newTable(), Duration.ofDays(30));
    }
}
