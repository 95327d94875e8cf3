#include "util/json_parse.hpp"

#include <fmt/format.h>

#include <unordered_map>
#include <utility>
#include <vector>

namespace dbmcp {
namespace {

// Objects with more members than this get a hash index for their duplicate-key
// checks; smaller ones are searched linearly, which is cheaper for them.
constexpr size_t k_linear_members = 16;

// One array or object being read.
struct Frame {
  bool is_object = false;
  std::vector<Json> items; // array elements
  std::vector<std::pair<std::string, Json>>
      members; // object members in input order
  std::unordered_map<std::string, size_t> index; // key -> position, once large
  std::string key;                               // the key of the next member

  // Adds a member; a repeated key replaces the earlier value in place.
  void add_member(Json value) {
    if (members.size() < k_linear_members) {
      for (auto &member : members) {
        if (member.first == key) {
          member.second = std::move(value);
          return;
        }
      }
    } else {
      if (index.empty()) {
        index.reserve(members.size() * 2);
        for (size_t i = 0; i < members.size(); ++i) {
          index.emplace(members[i].first, i);
        }
      }
      if (const auto it = index.find(key); it != index.end()) {
        members[it->second].second = std::move(value);
        return;
      }
      index.emplace(key, members.size());
    }
    members.emplace_back(std::move(key), std::move(value));
  }
};

// A SAX handler (nlohmann's json_sax interface) that builds the value with an
// explicit stack of frames, refusing to open a container past the depth limit.
class BoundedBuilder {
public:
  using number_integer_t = Json::number_integer_t;
  using number_unsigned_t = Json::number_unsigned_t;
  using number_float_t = Json::number_float_t;
  using string_t = Json::string_t;
  using binary_t = Json::binary_t;

  explicit BoundedBuilder(size_t max_depth) : m_max_depth(max_depth) {}

  bool null() { return add(Json(nullptr)); }
  bool boolean(bool value) { return add(Json(value)); }
  bool number_integer(number_integer_t value) { return add(Json(value)); }
  bool number_unsigned(number_unsigned_t value) { return add(Json(value)); }
  bool number_float(number_float_t value, const string_t & /*text*/) {
    return add(Json(value));
  }
  bool string(string_t &value) { return add(Json(std::move(value))); }
  bool binary(binary_t &value) { return add(Json::binary(std::move(value))); }

  bool start_object(std::size_t /*size*/) { return open(true); }
  bool key(string_t &key) {
    m_frames.back().key = std::move(key);
    return true;
  }
  bool end_object() {
    Frame frame = pop();
    Json object = Json::object();
    auto &map = object.get_ref<Json::object_t &>();
    map.reserve(frame.members.size());
    for (auto &[key, value] : frame.members) {
      // Straight into the vector underneath: the keys are unique already.
      map.Json::object_t::Container::emplace_back(std::move(key),
                                                  std::move(value));
    }
    return add(std::move(object));
  }

  bool start_array(std::size_t /*size*/) { return open(false); }
  bool end_array() {
    Frame frame = pop();
    Json array = Json::array();
    array.get_ref<Json::array_t &>() = std::move(frame.items);
    return add(std::move(array));
  }

  bool parse_error(std::size_t /*position*/, const std::string & /*token*/,
                   const nlohmann::detail::exception &error) {
    if (m_failure.empty()) {
      m_failure = error.what(); // names the byte offset and what was expected
    }
    return false;
  }

  std::optional<Json> result() {
    return m_done ? std::optional<Json>(std::move(m_root)) : std::nullopt;
  }
  const std::string &failure() const { return m_failure; }

private:
  bool open(bool is_object) {
    if (m_frames.size() >= m_max_depth) {
      m_failure = fmt::format("JSON nested deeper than {} levels", m_max_depth);
      return false;
    }
    m_frames.emplace_back().is_object = is_object;
    return true;
  }

  Frame pop() {
    Frame frame = std::move(m_frames.back());
    m_frames.pop_back();
    return frame;
  }

  bool add(Json value) {
    if (m_frames.empty()) {
      m_root = std::move(value);
      m_done = true;
    } else if (m_frames.back().is_object) {
      m_frames.back().add_member(std::move(value));
    } else {
      m_frames.back().items.push_back(std::move(value));
    }
    return true;
  }

  size_t m_max_depth;
  std::vector<Frame> m_frames;
  Json m_root;
  bool m_done = false;
  std::string m_failure;
};

} // namespace

std::optional<Json> parse_json_bounded(std::string_view text,
                                       std::string *failure, size_t max_depth) {
  BoundedBuilder builder(max_depth);
  const bool ok = Json::sax_parse(text.begin(), text.end(), &builder);
  auto result = ok ? builder.result() : std::nullopt;
  if (!result && failure) {
    *failure =
        builder.failure().empty() ? "not a JSON value" : builder.failure();
  }
  return result;
}

} // namespace dbmcp
