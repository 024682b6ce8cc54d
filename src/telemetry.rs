//! Structured logs with tracing: human-readable by default, JSON with LOG_FORMAT=json.

use tracing_subscriber::{EnvFilter, fmt};

/// Installs the global subscriber once. `RUST_LOG` filters (default: info for souk, warn elsewhere).
pub fn init() {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn,souk=info"));
    let json = std::env::var("LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json"));
    let builder = fmt().with_env_filter(filter).with_target(false);
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}
