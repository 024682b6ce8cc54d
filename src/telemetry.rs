//! Structured logs with tracing, on stderr: human-readable by default, JSON with LOG_FORMAT=json.
//! Every line passes through a scrubber that blanks the configured secrets, so that even a
//! dependency's debug log (reqwest prints URLs, and the Bot API's carry the token) shows none.

use std::io::{self, Write};
use std::sync::{Arc, LazyLock, RwLock};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::{EnvFilter, fmt};

/// What a secret is replaced with in a log line.
pub const REDACTED: &str = "[redacted]";

/// Secrets shorter than this are not scrubbed: blanking "1" everywhere would garble logs, and no
/// real token or key is that short.
const SHORTEST_SECRET: usize = 6;

/// The secrets the global subscriber blanks.
static HIDDEN: LazyLock<Secrets> = LazyLock::new(Secrets::default);

/// Blanks these secrets in every later log line (call it as soon as the configuration is read).
pub fn hide<'a>(secrets: impl IntoIterator<Item = &'a str>) {
    HIDDEN.hide(secrets);
}

/// The text with every hidden secret blanked, for what is printed outside the logs.
pub fn scrub(text: &str) -> String {
    HIDDEN.scrub(text)
}

/// The secrets to blank, shared by every writer the subscriber makes.
#[derive(Clone, Default)]
pub struct Secrets(Arc<RwLock<Vec<String>>>);

impl Secrets {
    /// Adds secrets (and their percent-encoded forms, as they appear in URLs).
    pub fn hide<'a>(&self, secrets: impl IntoIterator<Item = &'a str>) {
        let mut known = self.0.write().unwrap_or_else(|p| p.into_inner());
        for secret in secrets {
            if secret.len() < SHORTEST_SECRET {
                continue;
            }
            let encoded: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
            for form in [secret.to_string(), encoded] {
                if !known.contains(&form) {
                    known.push(form);
                }
            }
        }
        // The longest first, so a secret containing another is blanked whole.
        known.sort_by_key(|s| std::cmp::Reverse(s.len()));
    }

    /// The text with every known secret blanked.
    pub fn scrub(&self, text: &str) -> String {
        let known = self.0.read().unwrap_or_else(|p| p.into_inner());
        let mut text = text.to_string();
        for secret in known.iter() {
            if text.contains(secret.as_str()) {
                text = text.replace(secret.as_str(), REDACTED);
            }
        }
        text
    }
}

/// Makes writers that scrub each formatted event before it reaches `inner`.
#[derive(Clone)]
pub struct Scrubbing<M> {
    secrets: Secrets,
    inner: M,
}

impl<M> Scrubbing<M> {
    pub fn new(secrets: Secrets, inner: M) -> Scrubbing<M> {
        Scrubbing { secrets, inner }
    }
}

/// One event's writer. The fmt layer formats a whole event, then hands it over in one
/// `write_all`, so a secret is never split across two writes.
pub struct ScrubbingWriter<W> {
    secrets: Secrets,
    inner: W,
}

impl<W: Write> Write for ScrubbingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        self.inner.write_all(self.secrets.scrub(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<'a, M: MakeWriter<'a>> MakeWriter<'a> for Scrubbing<M> {
    type Writer = ScrubbingWriter<M::Writer>;

    fn make_writer(&'a self) -> Self::Writer {
        ScrubbingWriter {
            secrets: self.secrets.clone(),
            inner: self.inner.make_writer(),
        }
    }
}

/// Installs the global subscriber once. `RUST_LOG` filters (default: info for souk, warn
/// elsewhere). Its lines are scrubbed of what [`hide`] was given.
pub fn init() {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn,souk=info"));
    let json = std::env::var("LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json"));
    // Logs go to stderr (stdout is for what commands such as `souk payout` print), coloured only
    // on a terminal.
    let builder = fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(Scrubbing::new(HIDDEN.clone(), io::stderr))
        .with_ansi(io::IsTerminal::is_terminal(&io::stderr()));
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// A writer into a shared buffer, to read what the subscriber printed.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl Captured {
        fn text(&self) -> String {
            String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
        }
    }

    fn log_through_scrubber(secrets: &Secrets, json: bool, emit: impl FnOnce()) -> String {
        let captured = Captured::default();
        let sink = captured.clone();
        let builder = fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_ansi(false)
            .with_writer(Scrubbing::new(secrets.clone(), move || sink.clone()));
        if json {
            tracing::subscriber::with_default(builder.json().finish(), emit);
        } else {
            tracing::subscriber::with_default(builder.finish(), emit);
        }
        captured.text()
    }

    #[test]
    fn a_bot_token_in_a_dependency_url_is_blanked() {
        let token = "123456789:AAHk-secret_part";
        let secrets = Secrets::default();
        secrets.hide([token, "s3cr3t-ipn-key"]);
        for json in [false, true] {
            let out = log_through_scrubber(&secrets, json, || {
                tracing::debug!(url = %format!("https://api.telegram.org/bot{token}/getMe"), "request");
                let encoded: String =
                    url::form_urlencoded::byte_serialize(token.as_bytes()).collect();
                tracing::debug!("encoded: https://x/?token={encoded}");
                tracing::info!(secret = "s3cr3t-ipn-key", "signed");
            });
            assert!(out.contains("getMe"), "{out}");
            assert!(!out.contains("AAHk-secret_part"), "{out}");
            assert!(!out.contains("123456789"), "{out}");
            assert!(!out.contains("s3cr3t-ipn-key"), "{out}");
            assert_eq!(out.matches(REDACTED).count(), 3, "{out}");
        }
    }

    #[test]
    fn short_values_and_unknown_text_are_left_alone() {
        let secrets = Secrets::default();
        secrets.hide(["", "1", "abc"]);
        assert_eq!(secrets.scrub("order 1 abc"), "order 1 abc");
        secrets.hide(["secret-long", "secret-long-longer"]);
        assert_eq!(
            secrets.scrub("a secret-long-longer b"),
            format!("a {REDACTED} b")
        );
    }
}
