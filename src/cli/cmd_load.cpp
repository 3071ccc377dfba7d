// SPDX-License-Identifier: Apache-2.0
// goinstr load URL [options]: the HTTP load generator (src/load). A human summary goes to stdout,
// a progress line to stderr once a second, and --json FILE gets everything including the
// per-second series. Ctrl-C stops early and still reports what was measured.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.hpp"
#include "load/run.hpp"

namespace goinstr::cli {
namespace {

struct LoadOptions {
  std::string url;
  std::string method;
  std::string body;
  std::vector<std::string> headers;
  std::string stages;
  std::string profile;
  uint32_t vus = 0;
  double rate = 0;
  std::string duration;
  uint32_t connections = 100;
  uint32_t max_queue = 10000;
  std::string timeout = "10s";
  unsigned threads = 1;
  std::string json_path;
  bool quiet = false;
};

volatile sig_atomic_t g_interrupted = 0;

void on_interrupt(int) {
  g_interrupted = 1;
}

Result<std::string> read_body(const std::string& arg) {
  if (!arg.starts_with("@")) return arg;
  std::ifstream in(arg.substr(1), std::ios::binary);
  if (!in) return fail_errno("--body: cannot read " + arg.substr(1));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Result<std::pair<std::string, std::string>> parse_header(const std::string& h) {
  size_t colon = h.find(':');
  if (colon == std::string::npos || colon == 0) {
    return fail("--header '" + h + "' is not NAME:VALUE");
  }
  std::string value = h.substr(colon + 1);
  size_t start = value.find_first_not_of(" \t");
  return std::pair{h.substr(0, colon), start == std::string::npos ? "" : value.substr(start)};
}

// Exactly one of --stages, --profile, --vus (closed) or --rate (open) picks the model.
Result<std::variant<load::ClosedModel, load::OpenModel>> build_model(const LoadOptions& o) {
  int chosen = !o.stages.empty() + !o.profile.empty() + (o.vus > 0) + (o.rate > 0);
  if (chosen != 1) return fail("choose one of --stages, --profile, --vus or --rate");
  bool needs_duration = o.vus > 0 || o.rate > 0;
  if (needs_duration && o.duration.empty()) return fail("--vus and --rate need --duration");
  if (!needs_duration && !o.duration.empty()) {
    return fail("--duration goes with --vus or --rate; stages carry their own durations");
  }
  if (!o.stages.empty()) {
    ASSIGN_OR_RETURN(auto stages, load::parse_stages(o.stages));
    return load::ClosedModel{std::move(stages)};
  }
  if (!o.profile.empty()) {
    ASSIGN_OR_RETURN(auto stages, load::profile_stages(o.profile));
    return load::ClosedModel{std::move(stages)};
  }
  ASSIGN_OR_RETURN(load::Nanos duration, load::parse_duration(o.duration));
  if (o.vus > 0) return load::ClosedModel{{{load::Nanos{0}, o.vus}, {duration, o.vus}}};
  return load::OpenModel{o.rate, duration, o.connections, o.max_queue};
}

Result<load::Plan> build_plan(const LoadOptions& o) {
  load::Plan plan;
  plan.url = o.url;
  ASSIGN_OR_RETURN(plan.body, read_body(o.body));
  plan.method = !o.method.empty() ? o.method : o.body.empty() ? "GET" : "POST";
  for (const auto& h : o.headers) {
    ASSIGN_OR_RETURN(auto header, parse_header(h));
    plan.headers.push_back(std::move(header));
  }
  ASSIGN_OR_RETURN(plan.model, build_model(o));
  ASSIGN_OR_RETURN(plan.timeout, load::parse_duration(o.timeout));
  plan.threads = o.threads;
  TRY(load::validate(plan));
  return plan;
}

// On a terminal the line rewrites itself; into a file or pipe it is one line per second.
load::ProgressCallback progress_printer(bool quiet) {
  bool tty = isatty(STDERR_FILENO);
  return [quiet, tty](const load::Progress& p) {
    if (!quiet) {
      std::string line = load::format_progress(p);
      std::fprintf(stderr, tty ? "\r\033[K%s" : "%s\n", line.c_str());
      std::fflush(stderr);
    }
    return g_interrupted == 0;
  };
}

Result<void> write_json(const std::string& path, const load::Results& r) {
  std::string text = load::to_json(r).dump(2) + "\n";
  if (path == "-") {
    std::cout << text;
    return {};
  }
  std::ofstream out(path);
  if (!out || !(out << text) || !out.flush()) return fail_errno("--json: cannot write " + path);
  return {};
}

int run_load(const LoadOptions& o) {
  auto plan = build_plan(o);
  if (!plan) {
    std::fprintf(stderr, "goinstr load: %s\n", plan.error().message.c_str());
    return 2;
  }
  struct sigaction sa {};
  sa.sa_handler = on_interrupt;
  sa.sa_flags = SA_RESETHAND;  // a second Ctrl-C kills at once
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  auto results = load::run(*plan, progress_printer(o.quiet));
  if (!o.quiet && isatty(STDERR_FILENO)) std::fputc('\n', stderr);
  if (!results) {
    std::fprintf(stderr, "goinstr load: %s\n", results.error().message.c_str());
    return 1;
  }
  // With --json - the JSON owns stdout and the summary moves to stderr.
  std::FILE* summary = o.json_path == "-" ? stderr : stdout;
  std::fputs(load::format_summary(*results).c_str(), summary);
  if (!o.json_path.empty()) {
    if (auto written = write_json(o.json_path, *results); !written) {
      std::fprintf(stderr, "goinstr load: %s\n", written.error().message.c_str());
      return 1;
    }
  }
  if (results->counts.successes == 0) {
    std::fprintf(stderr, "goinstr load: no request succeeded\n");
    return 1;
  }
  return 0;
}

}  // namespace

void add_load_command(CLI::App& app, Action& action) {
  auto opts = std::make_shared<LoadOptions>();
  CLI::App* cmd = app.add_subcommand("load", "Generate HTTP/1.1 load against a URL");
  cmd->add_option("url", opts->url, "http://host[:port]/path")->required();
  cmd->add_option("-X,--method", opts->method, "HTTP method (default GET, POST with --body)");
  cmd->add_option("-d,--body", opts->body, "request body: STRING, or @FILE to read it");
  cmd->add_option("-H,--header", opts->headers, "NAME:VALUE, repeatable");
  cmd->add_option("--stages", opts->stages,
                  "closed model: DURATION:VUS,... ramped linearly like k6 (e.g. 15s:100,30s:100)");
  cmd->add_option("--profile", opts->profile,
                  "closed model preset: talk = 15s:100,30s:100,15s:0,2s:1000,2s:0");
  cmd->add_option("--vus", opts->vus, "closed model: this many VUs for --duration");
  cmd->add_option("--rate", opts->rate, "open model: requests per second for --duration");
  cmd->add_option("--duration", opts->duration, "with --vus or --rate: 30s, 2m, 1m30s, ...");
  cmd->add_option("-c,--connections", opts->connections,
                  "open model: most sockets to use (default 100)");
  cmd->add_option("--max-queue", opts->max_queue,
                  "open model: arrivals that may wait for a connection before being dropped "
                  "(default 10000)");
  cmd->add_option("--timeout", opts->timeout, "per request (default 10s)");
  cmd->add_option("--threads", opts->threads, "event-loop threads (default 1)");
  cmd->add_option("--json", opts->json_path, "write all results as JSON to FILE ('-': stdout)");
  cmd->add_flag("-q,--quiet", opts->quiet, "no progress line");
  cmd->callback([opts, &action] { action = [opts] { return run_load(*opts); }; });
}

}  // namespace goinstr::cli
