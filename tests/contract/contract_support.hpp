#pragma once
// The Store contract suite's fixtures: the same example schema on every backend built in, each on
// a real database (a SQLite file; a private schema on the PostgreSQL server that
// scripts/with-postgres.sh started). Nothing here knows a driver: only the Store API.

#include "store/errors.hpp"
#include "store/store.hpp"

#include <doctest/doctest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace dbmcp::test {

// One backend under contract: `open` gives a fresh database holding the example schema
// (users, posts, tags; see contract_support.cpp) and its seed rows.
struct ContractBackend
{
  std::string name;
  // A database of its own for one test; `read_only` opens a second view of it.
  class Database
  {
  public:
    virtual ~Database() = default;
    virtual std::unique_ptr<store::Store> open(bool read_only = false) = 0;
  };
  std::function<std::unique_ptr<Database>()> create;
};

// Every backend built into this binary. PostgreSQL needs DBMCP_TEST_POSTGRES_URL and MySQL
// DBMCP_TEST_MYSQL_URL: when one is built in and its variable is missing, the suite fails rather
// than skipping it.
std::vector<ContractBackend> contract_backends();

// Runs `body` once per backend, each under a doctest SUBCASE named after the backend.
void for_each_backend(const std::function<void(ContractBackend::Database&)>& body);

// The StoreError `call` throws; fails the test when it throws none.
template<typename Call>
store::StoreError error_of(Call&& call)
{
  try {
    call();
  } catch (const store::StoreError& e) {
    return e;
  }
  FAIL("expected a StoreError");
  return store::StoreError(store::ErrorCode::internal, "unreachable");
}

} // namespace dbmcp::test
