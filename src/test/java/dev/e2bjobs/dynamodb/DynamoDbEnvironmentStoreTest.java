package dev.e2bjobs.dynamodb;

import dev.e2bjobs.environment.EnvironmentStore;
import dev.e2bjobs.environment.EnvironmentStoreContract;
import dev.e2bjobs.local.dynamodb.SharedDynamoDbLocal;

/** The DynamoDB environment store keeps the contract: one conditional put per claim, one Query for all. */
class DynamoDbEnvironmentStoreTest extends EnvironmentStoreContract {
    @Override
    protected EnvironmentStore newStore() {
        return new DynamoDbEnvironmentStore(SharedDynamoDbLocal.client(), SharedDynamoDbLocal.newTable());
    }
}
