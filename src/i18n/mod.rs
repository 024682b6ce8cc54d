//! Fluent lookup: every user-facing text lives in locales/{en,fr}/main.ftl.

mod format;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};
use std::borrow::Cow;
use std::collections::HashMap;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Telegram shows plain text: no Unicode isolation marks around arguments.
        customise: |bundle| {
            bundle.set_use_isolating(false);
            format::register(bundle);
        },
    };
}

static EN: LanguageIdentifier = langid!("en");
static FR: LanguageIdentifier = langid!("fr");

/// The languages souk speaks, as stored per user (one folder each in `locales/`).
pub const SUPPORTED: [&str; 2] = crate::config::LANGUAGES;

pub fn is_supported(code: &str) -> bool {
    SUPPORTED.contains(&code)
}

/// Picks a supported language from a Telegram `language_code` such as "fr-CA".
pub fn negotiate(language_code: Option<&str>, default: &str) -> String {
    language_code
        .and_then(|c| c.split(['-', '_']).next())
        .map(|c| c.to_ascii_lowercase())
        .filter(|c| is_supported(c))
        .unwrap_or_else(|| default.to_string())
}

fn lang_id(lang: &str) -> &'static LanguageIdentifier {
    if lang == "fr" { &FR } else { &EN }
}

/// Looks up `key` in `lang`, falling back to English, then to the key itself (a missing key is
/// a bug that the locale tests catch; the user still gets something readable).
pub fn t(lang: &str, key: &str) -> String {
    tr(lang, key, &[])
}

pub fn tr(lang: &str, key: &str, args: &[(&str, String)]) -> String {
    let map: HashMap<Cow<'static, str>, FluentValue> = args
        .iter()
        .map(|(k, v)| (Cow::Owned(k.to_string()), value(v)))
        .collect();
    LOCALES
        .try_lookup_complete(
            lang_id(lang),
            key,
            if map.is_empty() { None } else { Some(&map) },
        )
        .unwrap_or_else(|| {
            tracing::error!(key, lang, "missing locale key");
            key.to_string()
        })
}

/// An argument as Fluent gets it: a whole number as a number (so that plurals agree: "1 sale",
/// "2 sales", "1 vendu", "2 vendus"), anything else as text. A number reads back as written.
fn value(text: &str) -> FluentValue<'static> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let canonical = !digits.is_empty()
        && digits.len() <= 15
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'));
    match text.parse::<i64>() {
        Ok(n) if canonical => FluentValue::from(n),
        _ => FluentValue::from(text.to_string()),
    }
}

/// A day as `YYYY-MM-DD` (UTC) from unix seconds: the same in every language.
pub fn date(unix: i64) -> String {
    // Days to civil date (Howard Hinnant's algorithm), to avoid a date crate for one format.
    let z = unix.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// A moment as `YYYY-MM-DD HH:MM:SS UTC` from unix seconds: the same in every language.
pub fn date_time(unix: i64) -> String {
    let secs = unix.rem_euclid(86_400);
    format!(
        "{} {:02}:{:02}:{:02} UTC",
        date(unix),
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// When a payment expires, as a buyer reads it: "Expires in 19 min (14:32 UTC)", in hours
/// within a day, else the date; `None` (no expiry given) reads as the provider's usual week.
pub fn expiry(lang: &str, at: Option<i64>, now: i64) -> String {
    let Some(at) = at else {
        return t(lang, "expiry-unknown");
    };
    let secs = at.rem_euclid(86_400);
    let time = format!("{:02}:{:02}", secs / 3600, secs % 3600 / 60);
    let left = (at - now).max(0);
    if left < 2 * 3600 {
        let minutes = ((left + 59) / 60).to_string();
        tr(lang, "expires-in", &[("minutes", minutes), ("time", time)])
    } else if left < 24 * 3600 {
        let hours = (left / 3600).to_string();
        tr(
            lang,
            "expires-in-hours",
            &[("hours", hours), ("time", time)],
        )
    } else {
        tr(lang, "expires-on", &[("date", date(at)), ("time", time)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether a key formats in a language, given a value for each of `vars`.
    fn formats(lang: &str, key: &str, vars: &[String]) -> bool {
        let map: HashMap<Cow<'static, str>, FluentValue> = vars
            .iter()
            .map(|v| (Cow::Owned(v.clone()), FluentValue::from("x")))
            .collect();
        LOCALES
            .try_lookup_complete(lang_id(lang), key, Some(&map))
            .is_some()
    }

    #[test]
    fn dates_are_iso_days() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(1_795_219_200), "2026-11-21");
        assert_eq!(date(951_782_400), "2000-02-29");
        assert_eq!(date_time(1_795_219_200 + 3723), "2026-11-21 01:02:03 UTC");
    }

    #[test]
    fn expiry_reads_as_time_left_and_the_clock() {
        let at = 1_795_219_200 + 14 * 3600 + 32 * 60;
        assert_eq!(
            expiry("en", Some(at), at - 19 * 60),
            "Expires in 19 min (14:32 UTC)."
        );
        assert_eq!(
            expiry("fr", Some(at), at - 5 * 3600),
            "Expire dans 5 h (14:32 UTC)."
        );
        assert_eq!(
            expiry("en", Some(at), at - 3 * 86_400),
            "Expires on 2026-11-21 at 14:32 UTC."
        );
        assert!(expiry("en", None, at).contains("7 days"));
    }

    #[test]
    fn an_alert_rendered_later_names_the_status_in_its_readers_language() {
        let args = [
            ("order", "7".to_string()),
            ("status", "waiting".into()),
            ("total", "25.70".into()),
            ("currency", "BTC".into()),
            ("payment", "123".into()),
            ("buyer", "42".into()),
            ("username", "@ana".into()),
        ];
        let fr = tr("fr", "admin-paysupport", &args);
        assert!(fr.contains("n°7 (en attente, 25,70"), "{fr}");
        let en = tr("en", "admin-paysupport", &args);
        assert!(en.contains("#7 (waiting, $25.70"), "{en}");
    }

    #[test]
    fn french_mobile_money_reads_in_f_cfa_grouped() {
        let args = |currency: &str| {
            [
                ("order", "7".to_string()),
                ("title", "Guide".into()),
                ("price", "25.00".into()),
                ("commission", "0.70".into()),
                ("percent", "2.78".into()),
                ("total", "25.70".into()),
                ("amount", "15562".into()),
                ("currency", currency.into()),
                ("provider", "Wave".into()),
                ("expires", "Expire dans 19 min.".into()),
            ]
        };
        let caption = tr("fr", "mobile-payment-caption", &args("XOF"));
        assert!(
            caption.contains("Payez 15\u{202f}562 F\u{a0}CFA avec Wave"),
            "{caption}"
        );
        let caption = tr("fr", "mobile-payment-caption", &args("GHS"));
        assert!(caption.contains("562 GHS avec"), "{caption}");
        let caption = tr("en", "mobile-payment-caption", &args("XOF"));
        assert!(caption.contains("Pay 15,562 XOF with Wave"), "{caption}");
    }

    #[test]
    fn french_money_and_plurals_read_as_a_french_speaker_writes_them() {
        let button = tr("fr", "buy-button", &[("price", "25.70".into())]);
        assert!(button.ends_with("25,70\u{202f}$"), "{button}");
        assert!(tr("en", "buy-button", &[("price", "25.70".into())]).ends_with("$25.70"));
        let sold = |n: &str| {
            tr(
                "fr",
                "myproducts-item",
                &[
                    ("title", "Guide".into()),
                    ("price", "5.00".into()),
                    ("sales", n.into()),
                    ("status", String::new()),
                ],
            )
        };
        assert!(sold("1").ends_with("1 vendu"), "{}", sold("1"));
        assert!(sold("2").ends_with("2 vendus"), "{}", sold("2"));
        assert_eq!(
            tr("en", "delivers-items", &[("count", "1".into())]),
            "1 unique item"
        );
        assert_eq!(
            tr("en", "delivers-items", &[("count", "3".into())]),
            "3 unique items"
        );
        // A number reads back as it was written.
        assert_eq!(
            tr(
                "en",
                "purchase-resend",
                &[("order", "1234".into()), ("title", "x".into())]
            ),
            "#1234 x"
        );
    }

    #[test]
    fn access_texts_agree_with_their_numbers_in_both_languages() {
        let reminder = |lang: &str, days: &str| {
            tr(
                lang,
                "access-reminder",
                &[
                    ("title", "Signaux".into()),
                    ("days", days.into()),
                    ("until", "2026-12-06".into()),
                ],
            )
        };
        assert!(reminder("en", "1").contains("ends tomorrow"));
        assert!(reminder("en", "3").contains("ends in 3 days"));
        assert!(reminder("fr", "1").contains("se termine demain"));
        assert!(reminder("fr", "3").contains("dans 3 jours"));
        assert!(reminder("fr", "3").contains("«\u{a0}Signaux\u{a0}»"));
        let members = |lang: &str, n: &str| {
            tr(
                lang,
                "manage-members",
                &[("members", n.into()), ("income", "25.70".into())],
            )
        };
        assert!(members("fr", "1").starts_with("👥 1 membre avec"));
        assert!(members("fr", "2").starts_with("👥 2 membres avec"));
        assert!(members("fr", "2").ends_with("jours\u{a0}: 25,70\u{202f}$"));
        assert!(members("en", "1").starts_with("👥 1 member with"));
        let term = tr(
            "fr",
            "delivers-access",
            &[("chat", "X".into()), ("days", "0".into())],
        );
        assert!(term.ends_with("à vie"), "{term}");
    }

    #[test]
    fn negotiates_from_telegram_codes() {
        assert_eq!(negotiate(Some("fr-CA"), "en"), "fr");
        assert_eq!(negotiate(Some("de"), "en"), "en");
        assert_eq!(negotiate(None, "fr"), "fr");
    }

    #[test]
    fn every_english_key_exists_in_french_and_back() {
        let keys = |lang: &str| -> Vec<String> {
            let text = std::fs::read_to_string(format!(
                "{}/locales/{lang}/main.ftl",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap();
            text.lines()
                .filter(|l| !l.starts_with([' ', '#', '\t']) && l.contains(" ="))
                .map(|l| l.split(" =").next().unwrap().trim().to_string())
                .collect()
        };
        let (en, fr) = (keys("en"), keys("fr"));
        let text = std::fs::read_to_string(format!(
            "{}/locales/en/main.ftl",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        // Every `$name`, whether placed (`{ $name }`) or given to a function (`USD($name)`).
        let vars: Vec<String> = text
            .split('$')
            .skip(1)
            .map(|s| {
                s.chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                    .collect::<String>()
            })
            .filter(|v| !v.is_empty())
            .collect();
        assert!(en.len() > 20);
        for k in &en {
            assert!(fr.contains(k), "{k} missing in fr file");
            assert!(formats("fr", k, &vars), "{k} does not parse in fr");
            assert!(formats("en", k, &vars), "{k} does not parse in en");
        }
        for k in &fr {
            assert!(en.contains(k), "{k} missing in en");
        }
    }

    #[test]
    fn arguments_are_inserted_without_isolation_marks() {
        let s = tr("en", "buy-button", &[("price", "25.70".into())]);
        assert!(s.contains("25.70") && !s.contains('\u{2068}'), "{s}");
    }
}
