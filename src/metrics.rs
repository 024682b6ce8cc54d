//! Prometheus metrics through the `metrics` facade and its Prometheus exporter: counters and
//! latency histograms of this process, process metrics, build info, and gauges read from the
//! database when `/metrics` is scraped. Anything recorded is exported; `describe` gives each
//! known metric its help line.

use metrics::Label;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::Duration;

/// Latency buckets, in seconds, for every `…_duration_seconds` histogram.
const BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];

struct Exporter {
    handle: PrometheusHandle,
    process: metrics_process::Collector,
}

static EXPORTER: OnceLock<Option<Exporter>> = OnceLock::new();

/// Installs souk's recorder once per process (the first call wins; `None` when another
/// recorder was installed first, and then `/metrics` shows only the gauges).
fn exporter() -> Option<&'static Exporter> {
    EXPORTER
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_duration_seconds".into()), &BUCKETS)
                .ok()?
                .build_recorder();
            let handle = recorder.handle();
            metrics::set_global_recorder(recorder).ok()?;
            let process = metrics_process::Collector::default();
            process.describe();
            describe();
            Some(Exporter { handle, process })
        })
        .as_ref()
}

/// Starts recording (at start-up; recording functions also start it on first use).
pub fn init() {
    exporter();
}

fn labels(pairs: &[(&str, &str)]) -> Vec<Label> {
    pairs
        .iter()
        .map(|(k, v)| Label::new(k.to_string(), v.to_string()))
        .collect()
}

/// Adds `by` to a counter.
pub fn add(name: &'static str, pairs: &[(&str, &str)], by: u64) {
    init();
    metrics::counter!(name, labels(pairs)).increment(by);
}

/// Adds one to a counter.
pub fn inc(name: &'static str, pairs: &[(&str, &str)]) {
    add(name, pairs, 1);
}

/// Records how long something took (name it `…_duration_seconds`).
pub fn observe(name: &'static str, pairs: &[(&str, &str)], took: Duration) {
    init();
    metrics::histogram!(name, labels(pairs)).record(took.as_secs_f64());
}

/// Help lines, and the series that exist from the start (at zero) so that rates work at once.
fn describe() {
    use metrics::{describe_counter, describe_gauge, describe_histogram};
    describe_counter!(
        "souk_ipn_received_total",
        "IPNs and rail webhooks received, by kind (payment, payout, rail) and result"
    );
    describe_counter!(
        "souk_payments_created_total",
        "Payments created at a rail, by pay currency"
    );
    describe_counter!(
        "souk_deliveries_total",
        "Outbox messages to Telegram, by result"
    );
    describe_counter!(
        "souk_payout_amount_cents_total",
        "Payout amounts in US cents, by status (sent, finished, failed)"
    );
    describe_counter!(
        "souk_nowpayments_requests_total",
        "Calls to NOWPayments, by endpoint and result (HTTP status, timeout, unreachable)"
    );
    describe_histogram!(
        "souk_nowpayments_request_duration_seconds",
        metrics::Unit::Seconds,
        "Duration of calls to NOWPayments, timeouts included, by endpoint"
    );
    describe_counter!(
        "souk_telegram_errors_total",
        "Telegram requests that failed, by kind"
    );
    describe_counter!(
        "souk_http_shed_total",
        "HTTP requests refused with 503 because too many were in flight"
    );
    describe_counter!(
        "souk_updates_dropped_total",
        "Telegram updates dropped before the dispatcher, by reason (flood, inline)"
    );
    describe_gauge!("souk_orders", "Orders in the database, by status");
    describe_gauge!("souk_outbox_pending", "Messages waiting in the outbox");
    describe_gauge!("souk_build_info", "The running souk's version (always 1)");
    metrics::gauge!("souk_build_info", "version" => env!("CARGO_PKG_VERSION")).set(1.0);
    for status in ["sent", "finished", "failed"] {
        metrics::counter!("souk_payout_amount_cents_total", "status" => status).absolute(0);
    }
    for result in ["sent", "retry", "failed"] {
        metrics::counter!("souk_deliveries_total", "result" => result).absolute(0);
    }
}

/// A gauge read at scrape time: name, labels, value.
pub type Gauge = (&'static str, Vec<(&'static str, String)>, i64);

/// The text exposition: everything this process recorded, its process metrics, then `gauges`
/// read from the database.
pub fn render(gauges: &[Gauge]) -> String {
    let Some(exporter) = exporter() else {
        return String::new();
    };
    exporter.process.collect();
    for (name, pairs, value) in gauges {
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        metrics::gauge!(*name, labels(&pairs)).set(*value as f64);
    }
    exporter.handle.render()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_the_text_format_with_process_and_build_metrics() {
        inc("souk_test_events_total", &[("result", "sent")]);
        add("souk_test_events_total", &[("result", "sent")], 2);
        observe(
            "souk_test_request_duration_seconds",
            &[("endpoint", "payment")],
            Duration::from_millis(30),
        );
        let text = render(&[("souk_orders", vec![("status", "finished".into())], 4)]);
        for line in [
            // A metric nobody described is exported all the same.
            "souk_test_events_total{result=\"sent\"} 3",
            "souk_test_request_duration_seconds_bucket{endpoint=\"payment\",le=\"0.05\"} 1",
            "souk_test_request_duration_seconds_bucket{endpoint=\"payment\",le=\"0.025\"} 0",
            "souk_test_request_duration_seconds_count{endpoint=\"payment\"} 1",
            "souk_orders{status=\"finished\"} 4",
            "# TYPE souk_payout_amount_cents_total counter",
            "souk_build_info{version=\"",
            "process_resident_memory_bytes ",
        ] {
            assert!(text.contains(line), "missing {line} in\n{text}");
        }
    }
}
