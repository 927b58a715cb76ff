package dev.e2bjobs.job;

/** The in-memory idempotency store keeps the contract. */
class InMemoryIdempotencyStoreTest extends IdempotencyStoreContract {

    @Override
    protected IdempotencyStore newStore() {
        return new InMemoryIdempotencyStore(clock);
    }
}
