// SPDX-License-Identifier: Apache-2.0
// Command-line flags, the cross-layer checks and load(), which stacks the layers in order. The YAML
// and environment layers live in yaml_config.cpp and environment.cpp.
#include "config/config.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include "config/values.hpp"

namespace goinstr::config {
namespace {

Result<std::string> read_file(const std::string& path) {
  // POSIX calls rather than ifstream, so the error carries errno (ENOENT, EACCES, EISDIR).
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail_errno("cannot read config file " + path);
  std::string text;
  char buffer[4096];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return fail_errno("cannot read config file " + path, err);
    }
    if (n == 0) break;
    text.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return text;
}

// "file goinstr.yaml:9" -> "goinstr.yaml:9: export.endpoint", "env X" -> "X", "flag --f" -> "--f",
// so a cross-layer error points at the place the user has to edit.
std::string location(const Config& config, const std::string& key) {
  std::string source = source_of(config, key);
  if (source.starts_with("file ")) return source.substr(5) + ": " + key;
  if (source.starts_with("env ") || source.starts_with("flag "))
    return source.substr(source.find(' ') + 1);
  return key;
}

// A host:port endpoint is only valid for grpc, which may be chosen by a later layer.
Result<> check_scheme(const Config& config, const std::string& endpoint, const std::string& key) {
  if (endpoint.empty() || config.protocol != exporter::Protocol::kHttpProtobuf ||
      has_url_scheme(endpoint))
    return {};
  // The file's only endpoint key is export.endpoint, whichever signal it ended up serving.
  const std::string source = source_of(config, key);
  const std::string where =
      source.starts_with("file ") ? source.substr(5) + ": export.endpoint" : location(config, key);
  return fail(fmt::format(
      "{}: '{}' needs http:// or https:// with protocol http/protobuf (host:port is for grpc)",
      where, endpoint));
}

}  // namespace

std::string source_of(const Config& config, const std::string& key) {
  auto it = config.sources.find(key);
  return it == config.sources.end() ? "default" : it->second;
}

Result<> apply_flags(Config& config, const Flags& flags) {
  if (flags.service_name) {
    config.service_name = *flags.service_name;
    config.sources["service.name"] = "flag --service-name";
  }
  if (flags.protocol) {
    auto protocol = parse_protocol(*flags.protocol);
    if (!protocol) return fail("--protocol: " + protocol.error().message);
    config.protocol = *protocol;
    config.sources["export.protocol"] = "flag --protocol";
  }
  if (flags.endpoint) {
    if (auto ok = check_endpoint(*flags.endpoint, /*allow_host_port=*/true); !ok)
      return fail("--endpoint: " + ok.error().message);
    config.endpoint = *flags.endpoint;
    config.endpoint_is_full_url = false;
    config.sources["export.endpoint"] = "flag --endpoint";
    // One base URL for both signals, over any signal-specific variable (flags beat the env).
    config.metrics_endpoint = *flags.endpoint;
    config.metrics_endpoint_is_full_url = false;
    config.sources["metrics.endpoint"] = "flag --endpoint";
  }
  if (flags.prometheus_address) {
    if (auto ok = check_listen_address(*flags.prometheus_address); !ok)
      return fail("--prometheus: " + ok.error().message);
    config.prometheus_address = *flags.prometheus_address;
    config.sources["export.prometheus"] = "flag --prometheus";
  }
  if (flags.output_file) {
    if (flags.output_file->empty()) return fail("--output: expected a file name, got ''");
    config.output_file = *flags.output_file;
    config.sources["export.output"] = "flag --output";
  }
  resolve_exporters(config);
  return {};
}

Result<> validate(const Config& config) {
  TRY(check_scheme(config, config.endpoint, "export.endpoint"));
  TRY(check_scheme(config, config.metrics_endpoint, "metrics.endpoint"));
  // Asking for a scrape endpoint while switching metrics off is a contradiction, not a choice.
  if (!config.prometheus_address.empty() && !config.metrics_enabled)
    return fail(fmt::format("{}: '{}' needs metrics, but metrics.enabled is false ({})",
                            location(config, "export.prometheus"), config.prometheus_address,
                            source_of(config, "metrics.enabled")));
  return {};
}

Result<Config> load(const Flags& flags, const Environment& env) {
  Config config;
  if (flags.config_file) {
    ASSIGN_OR_RETURN(std::string text, read_file(*flags.config_file));
    TRY(apply_yaml(config, text, *flags.config_file));
  }
  TRY(apply_environment(config, env));
  TRY(apply_flags(config, flags));
  TRY(validate(config));
  return config;
}

exporter::OtlpOptions otlp_options(const Config& config) {
  exporter::OtlpOptions options;
  options.endpoint = config.endpoint;
  options.protocol = config.protocol;
  options.headers = config.otlp_headers;
  options.endpoint_is_full_url = config.endpoint_is_full_url;
  return options;
}

std::optional<exporter::OtlpOptions> metrics_otlp_options(const Config& config) {
  if (!config.metrics_enabled || config.metrics_endpoint.empty()) return std::nullopt;
  exporter::OtlpOptions options = otlp_options(config);
  options.endpoint = config.metrics_endpoint;
  options.endpoint_is_full_url = config.metrics_endpoint_is_full_url;
  return options;
}

}  // namespace goinstr::config
