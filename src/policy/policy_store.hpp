#pragma once

#include "policy/policy.hpp"
#include "store/store.hpp"

#include <memory>

namespace dbmcp::policy {

// `inner` (a relational store whose catalog already leaves out the tables `policy` hides, see
// merged_visibility) under the access policy:
// - schema() leaves out hidden columns, and the indexes, foreign keys and checks that name one,
//   so a hidden column is an unknown column everywhere ("did you mean" included);
// - each operation is refused (read_only) unless the table's access allows it;
// - filters, sort keys, searches and aggregates naming a masked column are refused
//   (invalid_argument); a search that names no columns searches the visible unmasked text columns;
// - the table's row filter is ANDed into every read, update and delete; an insert gets the
//   row filter's equality columns filled in, and an insert or update that would put a row outside
//   the row filter is refused (invalid_argument);
// - the table's max_affected_rows replaces the caller's limit;
// - rows come back without hidden columns and with masked columns masked;
// - an error of `inner` that names a hidden column or table is reworded without the name.
std::unique_ptr<store::Store> make_policy_store(std::unique_ptr<store::Store> inner,
                                                std::shared_ptr<const Policy> policy);

// `schema` as the policy shows it: hidden columns, and the keys, indexes, foreign keys and
// checks naming them, left out.
store::Schema visible_schema(const store::Schema& schema, const Policy& policy);

} // namespace dbmcp::policy
