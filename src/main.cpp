#include "backends/module_loader.hpp"
#include "cli/app.hpp"

int main(int argc, char** argv)
{
  dbmcp::backends::prepare_module_environment(); // before any thread and any module
  return dbmcp::cli::run(argc, argv);
}
