//! Structured logs with tracing, on stderr: human-readable by default, JSON with LOG_FORMAT=json.

use tracing_subscriber::{EnvFilter, fmt};

/// Installs the global subscriber once. `RUST_LOG` filters (default: info for souk, warn elsewhere).
pub fn init() {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn,souk=info"));
    let json = std::env::var("LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json"));
    // Logs go to stderr (stdout is for what commands such as `souk payout` print), coloured only
    // on a terminal.
    let builder = fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}
