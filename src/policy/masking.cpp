#include "policy/masking.hpp"

#include "util/hmac.hpp"

#include <fmt/format.h>

namespace dbmcp::policy {
namespace {

constexpr const char* k_fixed = "***";

Json mask_email(const Json& value)
{
  if (!value.is_string()) {
    return k_fixed;
  }
  const auto text = value.get<std::string>();
  const auto at = text.find('@');
  if (at == std::string::npos || at == 0 || at + 1 >= text.size() || text.find('@', at + 1) != std::string::npos) {
    return k_fixed;
  }
  // The first character whole, even when it takes several UTF-8 bytes.
  const auto lead = static_cast<unsigned char>(text[0]);
  const size_t first = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
  if (first >= at) {
    return std::string("***@") + text.substr(at + 1);
  }
  return text.substr(0, first) + "***@" + text.substr(at + 1);
}

Json mask_hash(const Json& value)
{
  const std::string text = value.is_string() ? value.get<std::string>() : value.dump();
  const Sha256Digest digest = sha256(text);
  std::string hex = "sha256:";
  for (size_t i = 0; i < 8; ++i) {
    hex += fmt::format("{:02x}", digest[i]);
  }
  return hex;
}

} // namespace

Json mask_value(const Json& value, Mask mask)
{
  if (value.is_null()) {
    return value;
  }
  switch (mask) {
  case Mask::email:
    return mask_email(value);
  case Mask::hash:
    return mask_hash(value);
  case Mask::fixed:
    break;
  }
  return k_fixed;
}

} // namespace dbmcp::policy
