#pragma once

#include "store/store.hpp"
#include "tools/registry.hpp"
#include "tools/resources.hpp"

#include <cstdint>
#include <memory>

namespace dbmcp::tools {

struct ToolOptions
{
  bool read_only = false;        // write tools are not registered
  // The write operations some table allows (the access policy): insert_record(s), update_record(s)
  // and delete_record(s) are registered only for those allowed.
  bool insert = true;
  bool update = true;
  bool remove = true;
  bool allow_admin = false;      // run_maintenance is registered
  int64_t max_rows = 100;        // the largest page a read returns
  int64_t max_batch_rows = 1000000; // the most rows one insert_records call accepts
  size_t max_answer_bytes = 100'000; // the byte budget of the rows an answer carries (--max-answer-bytes)
  int64_t max_affected_rows = 1000; // update_records/delete_records matching more fail, rolled back; 0: no limit
};

// The tool set of `store`'s capability over `store`, which must outlive the registry: the fixed
// relational set of DESIGN.md section 1.2 for a records store, the cache_* tools for a key-value one.
Registry make_database_tools(store::Store& store, const ToolOptions& options);

// Table schemas as resources at db://tables/{table}/schema.
std::unique_ptr<Resources> make_schema_resources(store::Store& store);

} // namespace dbmcp::tools
