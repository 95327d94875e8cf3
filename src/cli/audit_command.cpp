#include "audit/audit_record.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "util/fatal.hpp"
#include "util/json_parse.hpp"

#include <fmt/format.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <deque>
#include <map>
#include <fstream>
#include <iostream>
#include <thread>

// `dbmcp audit tail|search`: reads the audit trail (audit/audited_tools.hpp describes its records).
namespace dbmcp::cli {
namespace {

struct AuditFlags
{
  std::string file; // default: --audit / DB_AUDIT
  bool json = false;
  size_t lines = 20;
  bool follow = false;
  std::string tool;
  std::string since;
  std::string outcome;
  std::string text;
};

std::string audit_file(const GlobalFlags& flags, const AuditFlags& audit_flags)
{
  const std::string path = audit_flags.file.empty() ? resolve_audit_path(flags.connection) : audit_flags.file;
  if (path.empty()) {
    throw Fatal("no audit file: name it with --file FILE, --audit FILE or DB_AUDIT", 2);
  }
  return path;
}

// `since` as an ISO-8601 UTC prefix records compare with: given as such ("2026-11-29",
// "2026-11-29T14:00") or relative to now ("90s", "15m", "2h", "7d").
std::string since_bound(const std::string& since)
{
  if (since.empty() || std::isdigit(static_cast<unsigned char>(since.back()))) {
    return since;
  }
  size_t used = 0;
  int64_t amount = -1;
  try {
    amount = std::stoll(since, &used);
  } catch (const std::exception&) {
  }
  static const std::map<char, int64_t> k_seconds = {{'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}};
  const auto unit = k_seconds.find(since.back());
  if (amount < 0 || used + 1 != since.size() || unit == k_seconds.end()) {
    if (since.back() == 'Z') {
      return since;
    }
    throw Fatal(fmt::format("--since takes a UTC time (2026-11-29T14:00) or an age (90s, 15m, 2h, 7d), not '{}'", since),
                2);
  }
  return audit::iso8601_utc(std::chrono::system_clock::now() - std::chrono::seconds(amount * unit->second));
}

std::string string_of(const Json& record, const char* key)
{
  const auto it = record.find(key);
  return it != record.end() && it->is_string() ? it->get<std::string>() : "";
}

// "ok", "error", "cancelled", or "intent" for a write's intent line.
std::string outcome_of(const Json& record)
{
  return string_of(record, "phase") == "intent" ? "intent" : string_of(record, "outcome");
}

// One line for a person: time, outcome, duration, tool, client, rows, arguments, error.
std::string human_line(const Json& record)
{
  std::string line = fmt::format("{}  {:<9}", string_of(record, "ts"), outcome_of(record));
  const auto duration = record.find("duration_ms");
  line += duration != record.end() && duration->is_number() ? fmt::format(" {:>9.1f} ms", duration->get<double>())
                                                            : std::string(13, ' ');
  line += fmt::format("  {}", string_of(record, "tool"));
  if (const auto client = record.find("client"); client != record.end() && client->is_object()) {
    line += fmt::format("  [{} {}]", string_of(*client, "name"), string_of(*client, "version"));
  }
  if (record.contains("rows_read")) {
    line += fmt::format("  rows {} read, {} affected", record["rows_read"].dump(), record["rows_affected"].dump());
  }
  if (const auto arguments = record.find("arguments"); arguments != record.end()) {
    line += "  " + audit::cut(arguments->dump(), 200);
  }
  if (const auto error = record.find("error"); error != record.end() && error->is_object()) {
    line += fmt::format("  error {}: {}", string_of(*error, "code"), string_of(*error, "message"));
  }
  return line;
}

class Printer
{
public:
  explicit Printer(bool json) : m_json(json) {}
  void print(const std::string& raw, const Json& record) const
  {
    std::cout << (m_json ? raw : human_line(record)) << '\n';
  }

private:
  bool m_json;
};

// Calls `each(raw line, record)` for every record of `in` from where it stands; counts the lines
// that are not JSON objects in `skipped`.
template<typename Each>
void read_records(std::istream& in, size_t& skipped, Each&& each)
{
  std::string raw;
  while (std::getline(in, raw)) {
    if (raw.empty()) {
      continue;
    }
    auto record = parse_json_bounded(raw, nullptr);
    if (!record || !record->is_object()) {
      ++skipped;
      continue;
    }
    each(raw, *record);
  }
}

void report_skipped(size_t skipped, const std::string& path)
{
  if (skipped > 0) {
    std::cerr << fmt::format("dbmcp: {} line(s) of {} are not audit records and were skipped\n", skipped, path);
  }
}

std::ifstream open_trail(const std::string& path)
{
  std::ifstream in(path);
  if (!in) {
    throw Fatal(fmt::format("the audit file {} cannot be read: {}", path, std::strerror(errno)), 1);
  }
  return in;
}

int tail(const GlobalFlags& flags, const AuditFlags& audit_flags)
{
  const std::string path = audit_file(flags, audit_flags);
  std::ifstream in = open_trail(path);
  const Printer printer(wants_json(audit_flags.json));
  std::deque<std::pair<std::string, Json>> last;
  size_t skipped = 0;
  read_records(in, skipped, [&](const std::string& raw, const Json& record) {
    last.emplace_back(raw, record);
    if (last.size() > audit_flags.lines) {
      last.pop_front();
    }
  });
  for (const auto& [raw, record] : last) {
    printer.print(raw, record);
  }
  report_skipped(skipped, path);
  std::cout << std::flush;
  // --follow: prints records as they are appended until interrupted (polls: the file may be on a
  // filesystem without change notification).
  while (audit_flags.follow) {
    in.clear();
    read_records(in, skipped, [&](const std::string& raw, const Json& record) { printer.print(raw, record); });
    std::cout << std::flush;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  return 0;
}

int search(const GlobalFlags& flags, const AuditFlags& audit_flags)
{
  const std::string path = audit_file(flags, audit_flags);
  const std::string since = since_bound(audit_flags.since);
  std::ifstream in = open_trail(path);
  const Printer printer(wants_json(audit_flags.json));
  size_t skipped = 0;
  size_t found = 0;
  read_records(in, skipped, [&](const std::string& raw, const Json& record) {
    const bool matches = (audit_flags.tool.empty() || string_of(record, "tool") == audit_flags.tool) &&
                         (since.empty() || string_of(record, "ts") >= since) &&
                         (audit_flags.outcome.empty() || outcome_of(record) == audit_flags.outcome) &&
                         (audit_flags.text.empty() || raw.find(audit_flags.text) != std::string::npos);
    if (matches) {
      printer.print(raw, record);
      ++found;
    }
  });
  report_skipped(skipped, path);
  return found > 0 ? 0 : 1;
}

void add_common(CLI::App& command, AuditFlags& audit_flags)
{
  command.add_option("--file", audit_flags.file, "The audit file (default: --audit or DB_AUDIT)")->option_text("FILE");
  command.add_flag("--json", audit_flags.json, "Print the records as JSON lines even on a terminal");
}

} // namespace

void setup_audit(CLI::App& app, const GlobalFlags& flags, int& exit_code)
{
  auto audit_flags = std::make_shared<AuditFlags>();
  auto* command = app.add_subcommand("audit", "Read the audit trail --audit writes (one JSON line per tool call)");
  command->require_subcommand(1);
  auto* tail_command = command->add_subcommand("tail", "Print the last records");
  add_common(*tail_command, *audit_flags);
  tail_command->add_option("-n,--lines", audit_flags->lines, "How many records (default 20)");
  tail_command->add_flag("-f,--follow", audit_flags->follow, "Keep printing records as they are appended");
  tail_command->callback([&flags, &exit_code, audit_flags] { exit_code = tail(flags, *audit_flags); });
  auto* search_command =
      command->add_subcommand("search", "Print the records that match every filter given (exit 1 when none does)");
  add_common(*search_command, *audit_flags);
  search_command->add_option("--tool", audit_flags->tool, "Calls of this tool");
  search_command->add_option("--since", audit_flags->since, "Records from this UTC time (2026-11-29T14:00) or age (15m, 2h, 7d)");
  search_command->add_option("--outcome", audit_flags->outcome, "ok, error, cancelled, or intent (a write's first line)")
      ->check(CLI::IsMember({"ok", "error", "cancelled", "intent"}));
  search_command->add_option("--text", audit_flags->text, "Records whose line contains this text");
  search_command->callback([&flags, &exit_code, audit_flags] { exit_code = search(flags, *audit_flags); });
}

} // namespace dbmcp::cli
