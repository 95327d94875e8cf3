#pragma once

#include "util/json.hpp"

#include <fstream>
#include <string>
#include <vector>

namespace dbmcp::test {

// Every line of the file `path` parsed as JSON; throws on a line that is not one whole JSON value
// (so a torn or interleaved line fails the test that reads it).
inline std::vector<Json> read_json_lines(const std::string& path)
{
  std::vector<Json> values;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    values.push_back(Json::parse(line));
  }
  return values;
}

} // namespace dbmcp::test
