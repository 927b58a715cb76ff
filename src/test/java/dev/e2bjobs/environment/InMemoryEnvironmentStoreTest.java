package dev.e2bjobs.environment;

/** The in-memory store the domain tests use keeps the store's contract. */
class InMemoryEnvironmentStoreTest extends EnvironmentStoreContract {
    @Override
    protected EnvironmentStore newStore() {
        return new InMemoryEnvironmentStore();
    }
}
