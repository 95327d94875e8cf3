#include "backends/sql/statement_reporting.hpp"

namespace dbmcp::backends::sql {
namespace {

// A session that reports each statement it runs to `ctx`, then answers as `inner` does.
class ReportingSession final : public Session
{
public:
  ReportingSession(Session& inner, const CallContext& ctx) : m_inner(inner), m_ctx(ctx) {}

  Result execute(const std::string& text, const std::vector<Json>& params) override
  {
    Result result = m_inner.execute(text, params);
    m_ctx.statement(text, static_cast<int64_t>(result.rows.size()), result.affected);
    return result;
  }
  void execute_script(const std::string& text) override
  {
    m_inner.execute_script(text);
    m_ctx.statement(text, 0, 0);
  }
  ErrorScope& scope() override { return m_inner.scope(); }

  Session& inner() { return m_inner; }
  const CallContext& ctx() const { return m_ctx; }

private:
  Session& m_inner;
  const CallContext& m_ctx;
};

// The engine's own session behind `session`: engines downcast the sessions they are given.
Session& unwrap(Session& session)
{
  auto* reporting = dynamic_cast<ReportingSession*>(&session);
  return reporting ? reporting->inner() : session;
}

class ReportingEngine final : public Engine
{
public:
  explicit ReportingEngine(std::unique_ptr<Engine> inner) : m_inner(std::move(inner)) {}

  std::string name() const override { return m_inner->name(); }
  const store::sql::Dialect& dialect() const override { return m_inner->dialect(); }

  void run(CallContext& ctx, Access access, const ErrorScope& scope,
           const std::function<void(Session&)>& work) override
  {
    if (!ctx.wants_statements()) {
      m_inner->run(ctx, access, scope, work);
      return;
    }
    m_inner->run(ctx, access, scope, [&](Session& session) {
      ReportingSession reporting(session, ctx);
      work(reporting);
    });
  }
  void run_outside_transaction(CallContext& ctx, const std::string& text) override
  {
    m_inner->run_outside_transaction(ctx, text);
    ctx.statement(text, 0, 0);
  }
  Catalog load_catalog(Session& session, const store::Visibility& visibility) override
  {
    return m_inner->load_catalog(unwrap(session), visibility);
  }
  Json encode(const store::Column& column, const Json& value) const override { return m_inner->encode(column, value); }
  std::optional<store::Filter> encode_filter(const store::TableInfo& table, const store::Filter& where) const override
  {
    return m_inner->encode_filter(table, where);
  }
  std::string bulk_insert_text(const store::TableInfo& table) const override { return m_inner->bulk_insert_text(table); }
  std::string text_search_config(Session* session, const Catalog& catalog, const store::TableInfo& table,
                                 const store::TextSearch& search) override
  {
    return m_inner->text_search_config(session ? &unwrap(*session) : nullptr, catalog, table, search);
  }
  std::optional<store::sql::Statement> fulltext_select(const store::TableInfo& table,
                                                       const std::vector<std::string>* index,
                                                       const store::Select& query,
                                                       const std::string& config) const override
  {
    return m_inner->fulltext_select(table, index, query, config);
  }
  std::optional<store::sql::Statement> fulltext_count(const store::TableInfo& table,
                                                      const std::vector<std::string>* index,
                                                      const store::Filter& where, const store::TextSearch& search,
                                                      const std::string& config) const override
  {
    return m_inner->fulltext_count(table, index, where, search, config);
  }
  std::optional<store::BatchResult> bulk_insert(Session& session, const store::TableInfo& table,
                                                const store::BatchInsert& batch, CallContext& ctx) override
  {
    auto result = m_inner->bulk_insert(unwrap(session), table, batch, ctx);
    if (result) {
      ctx.statement(m_inner->bulk_insert_text(table), 0, result->inserted);
    }
    return result;
  }
  Json diagnostics(Session& session, const Catalog& catalog) override
  {
    return m_inner->diagnostics(unwrap(session), catalog);
  }
  Json pool_statistics() const override { return m_inner->pool_statistics(); }
  std::string maintenance_statement(store::Maintenance operation, const std::string& table,
                                    const Catalog& catalog) const override
  {
    return m_inner->maintenance_statement(operation, table, catalog);
  }

private:
  std::unique_ptr<Engine> m_inner;
};

} // namespace

std::unique_ptr<Engine> report_statements(std::unique_ptr<Engine> engine)
{
  return std::make_unique<ReportingEngine>(std::move(engine));
}

} // namespace dbmcp::backends::sql
