// SPDX-License-Identifier: Apache-2.0
#include "metrics/span_metrics.hpp"

#include "common/log.hpp"
#include "metrics/prometheus_text.hpp"

namespace goinstr::metrics {

Result<std::unique_ptr<SpanMetrics>> SpanMetrics::start(const SpanMetricsOptions& options,
                                                        ResourceFn resource_for_pid) {
  std::unique_ptr<SpanMetrics> m(new SpanMetrics());
  m->aggregator_ = std::make_shared<MetricsAggregator>(options.aggregator);
  // The server first: it is the part that can fail, and then no thread has been started yet.
  if (!options.prometheus_address.empty()) {
    std::shared_ptr<const MetricsAggregator> aggregator = m->aggregator_;
    auto render = [aggregator, resource_for_pid] {
      return render_prometheus(aggregator->collect(), resource_for_pid);
    };
    ASSIGN_OR_RETURN(m->prometheus_, PrometheusServer::start(options.prometheus_address, render));
    spdlog::info("serving Prometheus metrics at http://{}:{}/metrics", m->prometheus_->host(),
                 m->prometheus_->port());
  }
  if (options.otlp) {
    m->pipeline_ = std::make_unique<MetricsPipeline>(
        m->aggregator_, make_otlp_metric_exporter(*options.otlp), std::move(resource_for_pid),
        PipelineOptions{.interval = options.export_interval});
  }
  return m;
}

void SpanMetrics::shutdown() {
  if (prometheus_) prometheus_->stop();
  if (pipeline_) pipeline_->shutdown();
}

SpanMetrics::Summary SpanMetrics::summary() const {
  Summary s{.aggregator = aggregator_->stats(), .otlp = std::nullopt, .scrapes = std::nullopt};
  if (pipeline_) s.otlp = pipeline_->stats();
  if (prometheus_) s.scrapes = prometheus_->scrapes();
  return s;
}

}  // namespace goinstr::metrics
