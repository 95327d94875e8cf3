#pragma once

#include "cache/result_cache.hpp"
#include "store/store.hpp"
#include "tools/registry.hpp"

#include <memory>

namespace dbmcp::cache {

// `tools` with the query-result cache in front of them: get_record, list_records,
// search_records, count_records and aggregate_records are answered through `cache` (and accept
// `cache: false` to bypass it); every tool that may write (readOnlyHint false) bumps the
// generations of the tables it touches — the table, the tables of `related`, the tables that
// reference it (transitively: cascades) and the tables it references; without a table, every
// table — before it answers; database_diagnostics adds `result_cache` with the cache's counts.
// `store` must outlive the registry returned.
tools::Registry with_result_cache(const tools::Registry& tools, store::Store& store, std::shared_ptr<ResultCache> cache);

} // namespace dbmcp::cache
