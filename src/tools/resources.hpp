#pragma once

#include "util/json.hpp"

#include <optional>
#include <string>
#include <vector>

namespace dbmcp::tools {

// The resources a server exposes: one schema document per visible table, at
// db://tables/{table}/schema. Implemented over a Store; the protocol layer only sees this.
class Resources
{
public:
  virtual ~Resources() = default;

  // Resource descriptors {uri, name, title?, description, mimeType}, sorted by uri.
  virtual std::vector<Json> list() const = 0;
  // Template descriptors {uriTemplate, name, description, mimeType}.
  virtual std::vector<Json> templates() const = 0;
  // The contents array for resources/read, or nullopt when `uri` names no resource.
  virtual std::optional<Json> read(const std::string& uri) const = 0;
  // Completion values for `argument` of the template `uri_template` starting with `prefix`.
  virtual std::vector<std::string> complete(const std::string& uri_template, const std::string& argument,
                                            const std::string& prefix) const = 0;
};

} // namespace dbmcp::tools
