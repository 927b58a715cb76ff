package dev.e2bjobs.dynamodb;

import dev.e2bjobs.job.IdempotencyStore;
import dev.e2bjobs.job.IdempotencyStoreContract;
import dev.e2bjobs.local.dynamodb.SharedDynamoDbLocal;

/** The DynamoDB idempotency store keeps the contract: one conditional put that answers the old record either way. */
class DynamoDbIdempotencyStoreTest extends IdempotencyStoreContract {

    @Override
    protected IdempotencyStore newStore() {
        return new DynamoDbIdempotencyStore(SharedDynamoDbLocal.client(), SharedDynamoDbLocal.newTable(), clock);
    }
}
