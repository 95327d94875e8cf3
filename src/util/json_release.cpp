#include "util/json_release.hpp"

#include <cstddef>

namespace dbmcp {
namespace {

// The deepest container emptied here; the ones below it are freed by nlohmann's destructor.
constexpr size_t k_release_depth = 32;

// Empties `value`, a container at `depth`, after the containers in it.
void empty_container(Json& value, size_t depth)
{
  if (depth > k_release_depth) {
    return;
  }
  if (value.is_object()) {
    auto& members = value.get_ref<Json::object_t&>();
    for (auto& member : members) {
      if (member.second.is_structured()) {
        empty_container(member.second, depth + 1);
      }
    }
    members.clear();
  } else if (value.is_array()) {
    auto& items = value.get_ref<Json::array_t&>();
    for (Json& item : items) {
      if (item.is_structured()) {
        empty_container(item, depth + 1);
      }
    }
    items.clear();
  }
}

} // namespace

void release_json(Json& value)
{
  empty_container(value, 0);
  value = Json();
}

} // namespace dbmcp
