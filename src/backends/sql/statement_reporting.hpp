#pragma once

#include "backends/sql/engine.hpp"

#include <memory>

namespace dbmcp::backends::sql {

// `engine` with every statement a call runs through it reported to that call's
// CallContext::statement(): its text with placeholders (never the bound values), the rows it
// returned and the rows it changed. Calls whose context has no statement sink run on `engine`'s own
// sessions untouched. The engine's bulk path is reported as one statement, Engine::bulk_insert_text
// (PostgreSQL: "COPY <table> FROM STDIN"), with the rows it inserted. Every Engine hook must be
// forwarded: a hook left to its default here silently changes the engine's behaviour.
std::unique_ptr<Engine> report_statements(std::unique_ptr<Engine> engine);

} // namespace dbmcp::backends::sql
