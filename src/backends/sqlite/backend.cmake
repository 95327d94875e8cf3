# The SQLite engine (SQLiteCpp), built into the executable: the default database needs no module.
# Included by CMakeLists.txt for the folder registered in DBMCP_DESCRIBED_BACKENDS (cmake/Backends.cmake).
if(DBMCP_WITH_SQLITE)
  find_package(SQLiteCpp REQUIRED)
  find_package(SQLite3 REQUIRED)
  dbmcp_backend_built_in(sqlite dbmcp_backends_sql SQLiteCpp SQLite::SQLite3)
endif()
