//! Prometheus metrics: counters and latency histograms kept in memory (per process), and
//! gauges read from the database when `/metrics` is scraped.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::{LazyLock, Mutex};
use std::time::Duration;

/// Latency buckets, in seconds.
const BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum_micros: u64,
}

#[derive(Default)]
struct Registry {
    /// (name, rendered labels) → value.
    counters: BTreeMap<(&'static str, String), u64>,
    histograms: BTreeMap<(&'static str, String), Histogram>,
}

static REGISTRY: LazyLock<Mutex<Registry>> = LazyLock::new(Mutex::default);

fn registry() -> std::sync::MutexGuard<'static, Registry> {
    REGISTRY
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// `{a="x",b="y"}`, values escaped as the text format wants.
fn labels(pairs: &[(&str, &str)]) -> String {
    if pairs.is_empty() {
        return String::new();
    }
    let inner: Vec<String> = pairs
        .iter()
        .map(|(k, v)| {
            let v = v
                .replace('\\', "\\\\")
                .replace('"', "\\\"")
                .replace('\n', "\\n");
            format!("{k}=\"{v}\"")
        })
        .collect();
    format!("{{{}}}", inner.join(","))
}

/// Adds `by` to a counter.
pub fn add(name: &'static str, pairs: &[(&str, &str)], by: u64) {
    *registry()
        .counters
        .entry((name, labels(pairs)))
        .or_default() += by;
}

/// Adds one to a counter.
pub fn inc(name: &'static str, pairs: &[(&str, &str)]) {
    add(name, pairs, 1);
}

/// Records how long something took.
pub fn observe(name: &'static str, pairs: &[(&str, &str)], took: Duration) {
    let mut r = registry();
    let h = r.histograms.entry((name, labels(pairs))).or_default();
    let secs = took.as_secs_f64();
    for (i, le) in BUCKETS.iter().enumerate() {
        if secs <= *le {
            h.counts[i] += 1;
        }
    }
    h.count += 1;
    h.sum_micros += took.as_micros() as u64;
}

/// Help lines of the metrics souk exports.
const HELP: &[(&str, &str, &str)] = &[
    (
        "souk_ipn_received_total",
        "counter",
        "IPNs received, by kind (payment, payout) and result",
    ),
    (
        "souk_payments_created_total",
        "counter",
        "Payments created at NOWPayments, by coin",
    ),
    (
        "souk_deliveries_total",
        "counter",
        "Outbox messages to Telegram, by result",
    ),
    (
        "souk_payout_amount_cents_total",
        "counter",
        "Payout amounts in US cents, by status (sent, finished, failed)",
    ),
    (
        "souk_nowpayments_requests_total",
        "counter",
        "Calls to NOWPayments, by endpoint and result",
    ),
    (
        "souk_nowpayments_request_seconds",
        "histogram",
        "Latency of calls to NOWPayments, by endpoint",
    ),
    (
        "souk_telegram_errors_total",
        "counter",
        "Telegram requests that failed, by kind",
    ),
    ("souk_orders", "gauge", "Orders in the database, by status"),
    (
        "souk_outbox_pending",
        "gauge",
        "Messages waiting in the outbox",
    ),
];

/// A gauge read at scrape time: name, labels, value.
pub type Gauge = (&'static str, Vec<(&'static str, String)>, i64);

/// The text exposition: counters and histograms of this process, then `gauges` read from the
/// database.
pub fn render(gauges: &[Gauge]) -> String {
    let r = registry();
    let mut out = String::new();
    for (name, kind, help) in HELP {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
        for ((n, l), v) in r.counters.range((*name, String::new())..) {
            if n != name {
                break;
            }
            let _ = writeln!(out, "{name}{l} {v}");
        }
        for ((n, l), h) in r.histograms.range((*name, String::new())..) {
            if n != name {
                break;
            }
            let inner = l.trim_start_matches('{').trim_end_matches('}');
            let sep = if inner.is_empty() { "" } else { "," };
            for (i, le) in BUCKETS.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "{name}_bucket{{{inner}{sep}le=\"{le}\"}} {}",
                    h.counts[i]
                );
            }
            let _ = writeln!(out, "{name}_bucket{{{inner}{sep}le=\"+Inf\"}} {}", h.count);
            let _ = writeln!(out, "{name}_sum{l} {}", h.sum_micros as f64 / 1e6);
            let _ = writeln!(out, "{name}_count{l} {}", h.count);
        }
        for (n, pairs, v) in gauges.iter().filter(|(n, ..)| n == name) {
            let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let _ = writeln!(out, "{n}{} {v}", labels(&pairs));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_the_text_format() {
        inc("souk_deliveries_total", &[("result", "sent")]);
        add("souk_deliveries_total", &[("result", "sent")], 2);
        observe(
            "souk_nowpayments_request_seconds",
            &[("endpoint", "payment")],
            Duration::from_millis(30),
        );
        let text = render(&[("souk_orders", vec![("status", "finished".into())], 4)]);
        assert!(
            text.contains("souk_deliveries_total{result=\"sent\"} 3"),
            "{text}"
        );
        assert!(
            text.contains(
                "souk_nowpayments_request_seconds_bucket{endpoint=\"payment\",le=\"0.05\"} 1"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "souk_nowpayments_request_seconds_bucket{endpoint=\"payment\",le=\"0.025\"} 0"
            ),
            "{text}"
        );
        assert!(
            text.contains("souk_nowpayments_request_seconds_count{endpoint=\"payment\"} 1"),
            "{text}"
        );
        assert!(
            text.contains("souk_orders{status=\"finished\"} 4"),
            "{text}"
        );
        assert!(text.contains("# TYPE souk_outbox_pending gauge"));
        assert_eq!(labels(&[("a", "x\"y")]), "{a=\"x\\\"y\"}");
    }
}
