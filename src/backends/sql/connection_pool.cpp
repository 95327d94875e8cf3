#include "backends/sql/connection_pool.hpp"

namespace dbmcp::backends::sql {

Json PoolStats::to_json() const
{
  return Json{{"size", size},         {"idle", idle},         {"in_use", in_use},     {"min", min_size},
              {"max", max_size},      {"waits", waits},       {"timeouts", timeouts}, {"created", created},
              {"replaced", replaced}, {"validations", validations}};
}

std::string describe_duration(std::chrono::milliseconds duration)
{
  const auto ms = duration.count();
  if (ms % 1000 == 0) {
    return fmt::format("{}s", ms / 1000);
  }
  if (ms > 1000) {
    return fmt::format("{:.1f}s", static_cast<double>(ms) / 1000.0);
  }
  return fmt::format("{}ms", ms);
}

store::StoreError pool_exhausted(const PoolSettings& settings)
{
  return store::unavailable(fmt::format("no {} free within {} (pool max {})", settings.what,
                                        describe_duration(settings.acquire_timeout), settings.max_size));
}

} // namespace dbmcp::backends::sql
