// The backends every TEST_P of StoreTest runs against.
#include "store_test_fixture.hpp"

namespace corphub::storage::testing {

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest,
                         ::testing::Values(TestBackend::kSqlite, TestBackend::kPostgres),
                         BackendName);

}  // namespace corphub::storage::testing
