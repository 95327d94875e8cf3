#pragma once

#include <SQLiteCpp/Database.h>
#include <sqlite3.h>

namespace dbmcp::backends::sqlite {

// BEGIN IMMEDIATE … COMMIT on the writer connection. Rolls back in its destructor unless
// committed; never throws from it (an interrupted statement may already have rolled back).
class WriteTransaction
{
public:
  explicit WriteTransaction(SQLite::Database& db) : m_db(db) { m_db.exec("BEGIN IMMEDIATE"); }
  ~WriteTransaction()
  {
    if (!m_done && !sqlite3_get_autocommit(m_db.getHandle())) {
      sqlite3_exec(m_db.getHandle(), "ROLLBACK", nullptr, nullptr, nullptr);
    }
  }
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;

  void commit()
  {
    m_db.exec("COMMIT");
    m_done = true;
  }

private:
  SQLite::Database& m_db;
  bool m_done = false;
};

} // namespace dbmcp::backends::sqlite
