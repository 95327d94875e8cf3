#include "cli/app.hpp"

int main(int argc, char** argv)
{
  return dbmcp::cli::run(argc, argv);
}
