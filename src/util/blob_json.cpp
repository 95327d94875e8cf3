#include "util/blob_json.hpp"

#include "util/base64.hpp"

namespace dbmcp {

Json blob_json(std::string_view bytes)
{
  return Json{{std::string(k_blob_key), base64_encode(bytes)}, {"bytes", bytes.size()}};
}

const std::string* blob_base64_text(const Json& value)
{
  if (value.is_string()) {
    return &value.get_ref<const std::string&>();
  }
  if (value.is_object()) {
    const auto it = value.find(std::string(k_blob_key));
    if (it != value.end() && it->is_string()) {
      return &it->get_ref<const std::string&>();
    }
  }
  return nullptr;
}

} // namespace dbmcp
