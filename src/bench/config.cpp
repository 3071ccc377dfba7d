// SPDX-License-Identifier: Apache-2.0
// The YAML layer: every map is read through a table of its known keys, so a misspelt key fails
// with its file, line and the keys that would have been accepted instead of being ignored.
#include "bench/config.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "bench/templates.hpp"

namespace goinstr::bench {
namespace {

using Handler = std::function<Result<>(const YAML::Node& value, const std::string& key)>;
using Handlers = std::vector<std::pair<std::string_view, Handler>>;

std::string describe(const YAML::Node& node) {
  if (node.IsMap()) return "a mapping";
  if (node.IsSequence()) return "a list";
  return fmt::format("'{}'", node.Scalar());
}

class Reader {
 public:
  explicit Reader(std::string filename) : filename_(std::move(filename)) {}

  std::unexpected<Error> error(const YAML::Node& at, std::string_view key,
                               std::string_view reason) const {
    return fail(fmt::format("{}:{}: {}: {}", filename_, at.Mark().line + 1, key, reason));
  }

  // Hands each entry of `map` to the handler of its key; unknown keys are errors. An empty value
  // (every child commented out) leaves the setting as it was.
  Result<> walk(const YAML::Node& map, const std::string& where, const Handlers& handlers) const {
    if (!map.IsMap()) return error(map, where, "expected a mapping, got " + describe(map));
    std::set<std::string> seen;
    for (const auto& entry : map) {
      std::string name = entry.first.IsScalar() ? entry.first.Scalar() : "";
      std::string key = where.empty() ? name : where + "." + name;
      if (name.empty()) return error(entry.first, where, "expected a key name");
      if (!seen.insert(name).second) return error(entry.first, key, "duplicate key");
      auto handler = std::find_if(handlers.begin(), handlers.end(),
                                  [&](const auto& h) { return h.first == name; });
      if (handler == handlers.end()) {
        std::vector<std::string_view> known;
        for (const auto& h : handlers) known.push_back(h.first);
        return error(entry.first, key,
                     fmt::format("unknown key (known here: {})", fmt::join(known, ", ")));
      }
      if (entry.second.IsNull()) continue;
      TRY(handler->second(entry.second, key));
    }
    return {};
  }

  Result<std::string> scalar(const YAML::Node& node, const std::string& key) const {
    if (!node.IsScalar()) return error(node, key, "expected a value, got " + describe(node));
    return node.Scalar();
  }

  Handler text(std::string& field) const {
    return [this, &field](const YAML::Node& node, const std::string& key) -> Result<> {
      ASSIGN_OR_RETURN(field, scalar(node, key));
      return {};
    };
  }

  Handler command(std::string& field, TemplateUse use) const {
    return [this, &field, use](const YAML::Node& node, const std::string& key) -> Result<> {
      ASSIGN_OR_RETURN(std::string value, scalar(node, key));
      if (auto ok = check_template(value, use); !ok) return error(node, key, ok.error().message);
      field = std::move(value);
      return {};
    };
  }

  Handler boolean(bool& field) const {
    return [this, &field](const YAML::Node& node, const std::string& key) -> Result<> {
      ASSIGN_OR_RETURN(std::string value, scalar(node, key));
      // YAML 1.2 booleans only: yes/no/on/off read like typos in a benchmark definition.
      if (value != "true" && value != "false")
        return error(node, key, "expected true or false, got " + describe(node));
      field = value == "true";
      return {};
    };
  }

  Handler integer(int& field, int min, int max) const {
    return [this, &field, min, max](const YAML::Node& node, const std::string& key) -> Result<> {
      ASSIGN_OR_RETURN(std::string value, scalar(node, key));
      int n = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc{} || end != value.data() + value.size() || n < min || n > max)
        return error(node, key,
                     fmt::format("expected a whole number {}..{}, got '{}'", min, max, value));
      field = n;
      return {};
    };
  }

  Handler duration(load::Nanos& field) const {
    return [this, &field](const YAML::Node& node, const std::string& key) -> Result<> {
      ASSIGN_OR_RETURN(std::string value, scalar(node, key));
      auto parsed = load::parse_duration(value);
      if (!parsed) return error(node, key, parsed.error().message);
      field = *parsed;
      return {};
    };
  }

  Handler profile(std::string& field) const {
    return [this, &field](const YAML::Node& node, const std::string& key) -> Result<> {
      ASSIGN_OR_RETURN(std::string value, scalar(node, key));
      if (!load::profile_stages(value) && !load::parse_stages(value))
        return error(
            node, key,
            fmt::format("'{}' is neither a preset (talk) nor stages like 2s:20,6s:20", value));
      field = std::move(value);
      return {};
    };
  }

  // A map of names to strings, merged into `field`; values checked as templates when `use` is set.
  Handler string_map(std::map<std::string, std::string>& field,
                     std::optional<TemplateUse> use) const {
    return [this, &field, use](const YAML::Node& node, const std::string& key) -> Result<> {
      if (!node.IsMap()) return error(node, key, "expected a mapping, got " + describe(node));
      for (const auto& entry : node) {
        std::string name = entry.first.IsScalar() ? entry.first.Scalar() : "";
        if (name.empty()) return error(entry.first, key, "expected a name");
        ASSIGN_OR_RETURN(std::string value, scalar(entry.second, key + "." + name));
        if (use) {
          if (auto ok = check_template(value, *use); !ok)
            return error(entry.second, key + "." + name, ok.error().message);
        }
        field[name] = std::move(value);
      }
      return {};
    };
  }

  // A list of maps with a `name`: each entry updates the element of that name or adds one.
  template <typename T>
  Handler named_list(std::vector<T>& list, std::function<Handlers(T&)> handlers_for) const {
    return [this, &list, handlers_for](const YAML::Node& node, const std::string& key) -> Result<> {
      if (!node.IsSequence()) return error(node, key, "expected a list, got " + describe(node));
      std::set<std::string> seen;
      for (size_t i = 0; i < node.size(); ++i) {
        const YAML::Node& item = node[i];
        std::string where = fmt::format("{}[{}]", key, i);
        if (!item.IsMap() || !item["name"] || !item["name"].IsScalar() ||
            item["name"].Scalar().empty())
          return error(item, where, "expected a mapping with a name");
        std::string name = item["name"].Scalar();
        if (!seen.insert(name).second) return error(item, where, "duplicate name '" + name + "'");
        auto it =
            std::find_if(list.begin(), list.end(), [&](const T& t) { return t.name == name; });
        if (it == list.end()) {
          list.push_back(T{});
          it = std::prev(list.end());
        }
        TRY(walk(item, fmt::format("{}[{}]", key, name), handlers_for(*it)));
      }
      return {};
    };
  }

 private:
  std::string filename_;
};

Handlers facts_handlers(const Reader& r, VariantFacts& f) {
  return {{"privileges", r.text(f.privileges)},
          {"modifies_source", r.boolean(f.modifies_source)},
          {"modifies_binary", r.boolean(f.modifies_binary)},
          {"go_versions", r.text(f.go_versions)},
          {"how", r.text(f.how)}};
}

Handlers variant_handlers(const Reader& r, VariantConfig& v) {
  return {{"name", r.text(v.name)},
          {"description", r.text(v.description)},
          {"enabled", r.boolean(v.enabled)},
          {"build", r.command(v.build, TemplateUse::build)},
          {"start", r.command(v.start, TemplateUse::start)},
          {"env", r.string_map(v.env, TemplateUse::start)},
          {"attach", r.command(v.attach, TemplateUse::attach)},
          {"attach_env", r.string_map(v.attach_env, TemplateUse::attach)},
          {"attach_ready", r.text(v.attach_ready)},
          {"attach_timeout", r.duration(v.attach_timeout)},
          {"attach_delay", r.duration(v.attach_delay)},
          {"requires", r.text(v.requires_command)},
          {"needs_root", r.boolean(v.needs_root)},
          {"facts", [&r, &v](const YAML::Node& node, const std::string& key) {
             return r.walk(node, key, facts_handlers(r, v.facts));
           }}};
}

Handlers scenario_handlers(const Reader& r, ScenarioConfig& s) {
  return {{"name", r.text(s.name)},
          {"method", r.text(s.method)},
          {"path", r.text(s.path)},
          {"body", r.text(s.body)},
          {"headers", r.string_map(s.headers, std::nullopt)},
          {"needs",
           [&r, &s](const YAML::Node& node, const std::string& key) -> Result<> {
             ASSIGN_OR_RETURN(std::string value, r.scalar(node, key));
             if (value != "database")
               return r.error(node, key, "the only thing a scenario can need is 'database'");
             s.needs = value;
             return {};
           }},
          {"enabled", r.boolean(s.enabled)}};
}

template <typename T>
Handler per_mode(const Reader& r, PerMode<T>& field, std::function<Handler(T&)> leaf) {
  return [&r, &field, leaf](const YAML::Node& node, const std::string& key) {
    return r.walk(node, key, {{"full", leaf(field.full)}, {"quick", leaf(field.quick)}});
  };
}

Handlers top_handlers(const Reader& r, BenchConfig& c) {
  auto section = [&r](Handlers handlers) -> Handler {
    return [&r, handlers = std::move(handlers)](const YAML::Node& node, const std::string& key) {
      return r.walk(node, key, handlers);
    };
  };
  auto count = [&r](int& field) { return r.integer(field, 1, 1000); };
  auto threads = [&r, &c](const YAML::Node& node, const std::string& key) -> Result<> {
    int n = 0;
    TRY(r.integer(n, 1, 256)(node, key));
    c.load_threads = static_cast<unsigned>(n);
    return {};
  };
  return {
      {"service", section({{"dir", r.text(c.service_dir)},
                           {"start", r.command(c.service_start, TemplateUse::start)},
                           {"ready", r.text(c.service_ready)},
                           {"ready_timeout", r.duration(c.service_ready_timeout)}})},
      {"database", section({{"dsn", r.text(c.database_dsn)}})},
      {"otlp", section({{"endpoint", r.text(c.otlp_endpoint)}})},
      {"load", section({{"threads", threads}, {"timeout", r.duration(c.request_timeout)}})},
      {"sampling", section({{"interval", r.duration(c.sample_interval)}})},
      {"profile",
       per_mode<std::string>(r, c.profile, [&r](std::string& f) { return r.profile(f); })},
      {"repeats", per_mode<int>(r, c.repeats, count)},
      {"builds", per_mode<int>(r, c.builds, count)},
      {"variants", r.named_list<VariantConfig>(
                       c.variants, [&r](VariantConfig& v) { return variant_handlers(r, v); })},
      {"scenarios", r.named_list<ScenarioConfig>(
                        c.scenarios, [&r](ScenarioConfig& s) { return scenario_handlers(r, s); })},
  };
}

template <typename T>
std::string names_of(const std::vector<T>& list) {
  std::vector<std::string> names;
  for (const auto& item : list) names.push_back(item.name);
  return fmt::format("{}", fmt::join(names, ", "));
}

template <typename T>
Result<std::vector<T>> select(const std::vector<T>& all, const std::vector<std::string>& names,
                              std::string_view what) {
  std::vector<T> out;
  if (names.empty()) {
    for (const auto& item : all)
      if (item.enabled) out.push_back(item);
    return out;
  }
  for (const auto& name : names) {
    auto it = std::find_if(all.begin(), all.end(), [&](const T& t) { return t.name == name; });
    if (it == all.end())
      return fail(fmt::format("unknown {} '{}' (known: {})", what, name, names_of(all)));
    if (std::none_of(out.begin(), out.end(), [&](const T& t) { return t.name == name; }))
      out.push_back(*it);
  }
  return out;
}

}  // namespace

Result<> apply_yaml(BenchConfig& config, const std::string& text, const std::string& filename) {
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(text);
  } catch (const YAML::ParserException& e) {
    return fail(fmt::format("{}:{}: invalid YAML: {}", filename, e.mark.line + 1, e.msg));
  }
  if (documents.size() > 1)
    return fail(
        fmt::format("{}: expected one YAML document, found {}", filename, documents.size()));
  if (documents.empty() || documents[0].IsNull()) return {};
  Reader reader(filename);
  // Into a copy, so a file with an error leaves the configuration as it was.
  BenchConfig updated = config;
  TRY(reader.walk(documents[0], "", top_handlers(reader, updated)));
  config = std::move(updated);
  return {};
}

Result<> apply_yaml_file(BenchConfig& config, const std::string& path) {
  std::ifstream in(path);
  if (!in) return fail_errno("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return apply_yaml(config, text.str(), path);
}

Result<> validate(const BenchConfig& config) {
  if (config.service_dir.empty()) return fail("service.dir is empty");
  if (config.service_ready.empty()) return fail("service.ready is empty");
  for (const auto& v : config.variants) {
    if (v.build.empty()) return fail(fmt::format("variants[{}]: no build command", v.name));
    if (v.start.empty() && config.service_start.empty())
      return fail(fmt::format("variants[{}]: no start command (and no service.start)", v.name));
    if (!v.attach_ready.empty() && v.attach.empty())
      return fail(fmt::format("variants[{}]: attach_ready without attach", v.name));
  }
  for (const auto& s : config.scenarios) {
    if (!s.path.starts_with("/"))
      return fail(fmt::format("scenarios[{}]: path must start with '/'", s.name));
    if (s.method.empty() || s.method.find_first_of(" \t\r\n") != std::string::npos)
      return fail(fmt::format("scenarios[{}]: bad method '{}'", s.name, s.method));
  }
  TRY(stages_for(config, false));
  TRY(stages_for(config, true));
  return {};
}

Result<std::vector<load::Stage>> stages_for(const BenchConfig& config, bool quick) {
  const std::string& text = config.profile.pick(quick);
  if (auto preset = load::profile_stages(text)) return preset;
  auto stages = load::parse_stages(text);
  if (!stages)
    return fail(fmt::format("profile.{}: {}", quick ? "quick" : "full", stages.error().message));
  return stages;
}

Result<std::vector<VariantConfig>> select_variants(const BenchConfig& config,
                                                   const std::vector<std::string>& names) {
  return select(config.variants, names, "variant");
}

Result<std::vector<ScenarioConfig>> select_scenarios(const BenchConfig& config,
                                                     const std::vector<std::string>& names) {
  return select(config.scenarios, names, "scenario");
}

}  // namespace goinstr::bench
