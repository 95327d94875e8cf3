#include "backends/postgres/pg_bulk_insert.hpp"
#include "backends/postgres/pg_dialect.hpp"

#include "backends/postgres/pg_errors.hpp"
#include "backends/sql/batch_insert.hpp"
#include "store/sql_builder.hpp"

#include <fmt/format.h>

// tablewriter is deprecated in libpqxx 6 in favour of stream_to, whose row type must be a tuple
// of fixed size; tablewriter::write_raw_line is the way to send rows of a runtime width.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#include <pqxx/tablewriter>
#pragma GCC diagnostic pop

#include <pqxx/subtransaction>

#include <algorithm>
#include <exception>

namespace dbmcp::backends::postgres {
namespace {

constexpr std::string_view k_staging = "_dbmcp_staging";
constexpr std::string_view k_row_column = "_dbmcp_row";
constexpr size_t k_copy_chunk = 64 * 1024;

// The row's columns in table order.
std::vector<const store::Column*> columns_of(const store::TableInfo& table, const store::Row& row)
{
  std::vector<const store::Column*> columns;
  for (const auto& column : table.columns) {
    if (row.contains(column.name)) {
      columns.push_back(&column);
    }
  }
  return columns;
}

std::string column_list(const std::vector<const store::Column*>& columns, bool with_row_number)
{
  std::string list;
  for (const auto* column : columns) {
    list += (list.empty() ? "" : ", ") + quote(column->name);
  }
  if (with_row_number) {
    list += (list.empty() ? "" : ", ") + quote(k_row_column);
  }
  return list;
}

class BulkInserter
{
public:
  BulkInserter(PgSession& session, const store::TableInfo& table, const store::BatchInsert& batch, CallContext& ctx)
    : m_session(session), m_table(table), m_batch(batch), m_ctx(ctx)
  {
  }

  store::BatchResult run()
  {
    store::BatchRows source(m_batch);
    const size_t total = source.size();
    const size_t step = static_cast<size_t>(std::max<int64_t>(1, m_batch.batch_size));
    bool staging = false;
    for (size_t start = 0;; start += step) {
      m_ctx.throw_if_cancelled();
      // One step's rows at a time: the next ones are not read (parsed) before these are sent.
      m_rows.clear();
      m_first = start;
      source.pull(m_rows, step);
      if (m_rows.empty()) {
        break;
      }
      refuse_unsendable();
      if (!staging && m_batch.on_conflict != store::OnConflict::error) {
        create_staging();
        staging = true;
      }
      const size_t end = start + m_rows.size();
      insert_runs(start, end);
      ++m_result.batches;
      m_ctx.progress(static_cast<double>(end), static_cast<double>(total),
                     fmt::format("Inserted {} of {} rows", end, total));
    }
    return m_result;
  }

private:
  const store::Row& row_at(size_t index) const { return m_rows[index - m_first]; }

  // Refuses a NUL in a text value, or a blob that is not base64, in the rows held, before any of
  // them is sent.
  void refuse_unsendable() const
  {
    for (size_t i = 0; i < m_rows.size(); ++i) {
      refuse_nul(&m_rows[i], nullptr); // its message names the column, not the row, as for one insert
      try {
        for (const auto& [name, value] : m_rows[i].items()) {
          const store::Column& column = m_table.require_column(name);
          if (column.kind == store::ValueKind::blob) {
            to_param(value, column);
          }
        }
      } catch (const store::StoreError& error) {
        throw sql::at_row(error, static_cast<int64_t>(m_first + i));
      }
    }
  }

  void create_staging()
  {
    m_session.exec(fmt::format("CREATE TEMP TABLE {} ON COMMIT DROP AS SELECT *, 0::bigint AS {} FROM {} WITH NO DATA",
                               quote(k_staging), quote(k_row_column), quote(m_table.name)));
  }

  // Rows [start, end) as runs of consecutive rows that name the same columns.
  void insert_runs(size_t start, size_t end)
  {
    size_t run_start = start;
    auto run_columns = columns_of(m_table, row_at(start));
    for (size_t i = start + 1; i <= end; ++i) {
      std::vector<const store::Column*> next;
      if (i < end) {
        next = columns_of(m_table, row_at(i));
        if (next == run_columns) {
          continue;
        }
      }
      insert_run(run_start, i, run_columns);
      run_start = i;
      run_columns = std::move(next);
    }
  }

  void insert_run(size_t start, size_t end, const std::vector<const store::Column*>& columns)
  {
    // The rows of a run name the same columns: when they give no key to match, the first is at fault.
    std::string conflict;
    with_row(start, [&] { conflict = conflict_clause(columns); });
    if (columns.empty()) {
      // Every value defaulted: COPY needs a column, so insert the rows one statement each.
      for (size_t i = start; i < end; ++i) {
        with_row(i, [&] {
          const auto inserted =
              m_session.exec(fmt::format("INSERT INTO {} DEFAULT VALUES{}", quote(m_table.name), conflict));
          count(inserted.affected_rows(), 1);
        });
      }
      return;
    }
    const bool staged = m_batch.on_conflict != store::OnConflict::error;
    copy(staged ? std::string(k_staging) : m_table.name, start, end, columns, staged);
    if (staged) {
      count(move_staged(start, end, columns, conflict), end - start);
      m_session.exec(fmt::format("TRUNCATE {}", quote(k_staging)));
    } else {
      m_result.inserted += static_cast<int64_t>(end - start);
    }
  }

  // Moves the staged rows [start, end) into the table in row order; returns the rows affected.
  // When the move fails, it is retried row by row: to name the failing row in the error, or, when
  // a replace batch names one key twice (one ON CONFLICT DO UPDATE statement cannot change a row
  // twice: SQLSTATE 21000), to apply the rows in order so that the last one wins, as on SQLite.
  size_t move_staged(size_t start, size_t end, const std::vector<const store::Column*>& columns,
                     const std::string& conflict)
  {
    const std::string list = column_list(columns, false);
    const std::string move = fmt::format("INSERT INTO {} ({}) SELECT {} FROM {}", quote(m_table.name), list, list,
                                         quote(k_staging));
    std::exception_ptr failure;
    bool key_twice = false;
    {
      pqxx::subtransaction attempt(dynamic_cast<pqxx::dbtransaction&>(m_session.tx()), "dbmcp_move");
      try {
        const auto moved = attempt.exec(fmt::format("{} ORDER BY {}{}", move, quote(k_row_column), conflict));
        attempt.commit();
        m_session.count_statement();
        return moved.affected_rows();
      } catch (const pqxx::sql_error& e) {
        failure = std::current_exception();
        key_twice = e.sqlstate() == "21000" && m_batch.on_conflict == store::OnConflict::replace;
        attempt.abort();
      }
    }
    size_t affected = 0;
    for (size_t i = start; i < end; ++i) {
      with_row(i, [&] {
        affected += m_session.exec(fmt::format("{} WHERE {} = {}{}", move, quote(k_row_column), i, conflict))
                        .affected_rows();
      });
    }
    if (key_twice) {
      return affected;
    }
    try { // every row went in alone: only the batch as a whole failed
      std::rethrow_exception(failure);
    } catch (const pqxx::sql_error& e) {
      m_session.fail(e);
    }
  }

  void copy(const std::string& target, size_t start, size_t end, const std::vector<const store::Column*>& columns,
            bool with_row_number)
  {
    std::vector<std::string> names;
    for (const auto* column : columns) {
      names.push_back(quote(column->name));
    }
    if (with_row_number) {
      names.push_back(quote(k_row_column));
    }
    try {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
      pqxx::tablewriter writer(m_session.tx(), quote(target), names.begin(), names.end());
#pragma GCC diagnostic pop
      // Rows go out in chunks of many lines: COPY data need not follow line boundaries, and one
      // PQputCopyData per chunk is much cheaper than one per row.
      std::string line;
      for (size_t i = start; i < end; ++i) {
        const store::Row& row = row_at(i);
        for (size_t c = 0; c < columns.size(); ++c) {
          if (c > 0) {
            line.push_back('\t');
          }
          const store::Column& column = *columns[c];
          with_row(i, [&] { append_copy_field(line, row[column.name], column); });
        }
        if (with_row_number) {
          line += '\t' + std::to_string(i);
        }
        line.push_back('\n');
        if (line.size() >= k_copy_chunk) {
          writer.write_raw_line(line);
          line.clear();
        }
      }
      if (!line.empty()) {
        writer.write_raw_line(line);
      }
      writer.complete();
      m_session.count_statement();
    } catch (const pqxx::sql_error& e) {
      // CONTEXT: "COPY users, line 12, column age: …": line N is row start + N - 1.
      const auto line = copy_line(parse_server_message(e.what()).context);
      m_session.scope().table = m_table.name;
      try {
        m_session.fail(e);
      } catch (const store::StoreError& error) {
        if (line && *line >= 1 && static_cast<size_t>(*line) <= end - start) {
          throw sql::at_row(error, static_cast<int64_t>(start) + *line - 1);
        }
        throw;
      }
    }
  }

  // " ON CONFLICT …" for the staged insert, as the SQL builder writes it for every engine.
  std::string conflict_clause(const std::vector<const store::Column*>& columns) const
  {
    if (m_batch.on_conflict == store::OnConflict::error) {
      return "";
    }
    std::vector<std::string> names;
    for (const auto* column : columns) {
      names.push_back(column->name);
    }
    return store::sql::conflict_clause(dialect(), m_table, names, m_batch.on_conflict);
  }

  void count(size_t affected, size_t attempted)
  {
    m_result.inserted += static_cast<int64_t>(affected);
    if (m_batch.on_conflict == store::OnConflict::ignore) {
      m_result.skipped += static_cast<int64_t>(attempted - std::min(affected, attempted));
    }
  }

  // Runs `work` for row `index`: a failure is reported against that row.
  template<typename Work>
  void with_row(size_t index, Work&& work)
  {
    try {
      work();
    } catch (const store::StoreError& e) {
      throw sql::at_row(e, static_cast<int64_t>(index));
    }
  }

  PgSession& m_session;
  const store::TableInfo& m_table;
  const store::BatchInsert& m_batch;
  CallContext& m_ctx;
  store::BatchResult m_result;
  std::vector<store::Row> m_rows; // the rows of the step being inserted: rows [m_first, m_first + size)
  size_t m_first = 0;
};

} // namespace

store::BatchResult bulk_insert(PgSession& session, const store::TableInfo& table, const store::BatchInsert& batch,
                               CallContext& ctx)
{
  return BulkInserter(session, table, batch, ctx).run();
}

} // namespace dbmcp::backends::postgres
