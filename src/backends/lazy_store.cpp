#include "backends/lazy_store.hpp"

#include "backends/info/backend_info.hpp"

#include <atomic>
#include <mutex>

namespace dbmcp::backends {
namespace {

class LazyStore final : public store::Store {
public:
  LazyStore(StoreOpener open, std::string backend)
      : m_open(std::move(open)), m_backend(std::move(backend)) {}

  std::string backend() const override {
    const store::Store *inner = m_ready.load(std::memory_order_acquire);
    return inner ? inner->backend() : m_backend;
  }
  // Known before connecting, from the backend's description: the tools are registered by it.
  store::Capability capability() const override {
    const info::BackendInfo *described = info::find_by_name(m_backend);
    return described && described->key_values ? store::Capability::key_values
                                              : store::Capability::records;
  }
  store::KeyValues &key_values() override { return get().key_values(); }
  std::shared_ptr<const store::Schema> schema() const override {
    return get().schema();
  }
  void refresh_schema() override { get().refresh_schema(); }
  std::vector<store::Row> select(const store::Select &query,
                                 CallContext &ctx) override {
    return get().select(query, ctx);
  }
  int64_t count(const std::string &table, const store::Filter &where,
                const std::optional<store::TextSearch> &search,
                CallContext &ctx) override {
    return get().count(table, where, search, ctx);
  }
  std::vector<store::Row> aggregate(const store::AggregateQuery &query,
                                    CallContext &ctx) override {
    return get().aggregate(query, ctx);
  }
  std::string fulltext_config(const std::string &table,
                              const store::TextSearch &search,
                              CallContext &ctx) override {
    return get().fulltext_config(table, search, ctx);
  }
  store::InsertResult insert(const std::string &table, const store::Row &values,
                             const std::vector<store::RelatedRows> &related,
                             CallContext &ctx) override {
    return get().insert(table, values, related, ctx);
  }
  store::BatchResult insert_many(const store::BatchInsert &batch,
                                 CallContext &ctx) override {
    return get().insert_many(batch, ctx);
  }
  std::vector<store::Row> update(const std::string &table,
                                 const store::Filter &where,
                                 const store::Row &values,
                                 const store::WriteLimits &limits,
                                 CallContext &ctx) override {
    return get().update(table, where, values, limits, ctx);
  }
  std::vector<store::Row> remove(const std::string &table,
                                 const store::Filter &where,
                                 const store::WriteLimits &limits,
                                 CallContext &ctx) override {
    return get().remove(table, where, limits, ctx);
  }
  Json diagnostics(CallContext &ctx) override { return get().diagnostics(ctx); }
  Json maintenance(store::Maintenance operation, const std::string &table,
                   CallContext &ctx) override {
    return get().maintenance(operation, table, ctx);
  }
  void ping(CallContext &ctx) override { get().ping(ctx); }
  void execute_script(const std::string &sql, CallContext &ctx) override {
    get().execute_script(sql, ctx);
  }

private:
  // The open store, opening it first when needed. Concurrent first calls wait
  // for one attempt; a failed attempt leaves the store closed so that the next
  // call tries again.
  store::Store &get() const {
    if (store::Store *inner = m_ready.load(std::memory_order_acquire)) {
      return *inner;
    }
    const std::lock_guard lock(m_mutex);
    if (!m_inner) {
      m_inner = m_open();
      m_ready.store(m_inner.get(), std::memory_order_release);
    }
    return *m_inner;
  }

  const StoreOpener m_open;
  const std::string m_backend;
  mutable std::mutex m_mutex;
  mutable std::unique_ptr<store::Store>
      m_inner; // guarded by m_mutex until set, then constant
  mutable std::atomic<store::Store *> m_ready{nullptr};
};

} // namespace

std::unique_ptr<store::Store> make_lazy_store(StoreOpener open,
                                              std::string backend) {
  return std::make_unique<LazyStore>(std::move(open), std::move(backend));
}

} // namespace dbmcp::backends
