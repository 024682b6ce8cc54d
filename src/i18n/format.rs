//! Money and numbers as each language writes them, as Fluent functions the locale files call:
//! `USD($price)` is `$1,234.50` in English and `1 234,50 $` in French (narrow no-break spaces),
//! `PERCENT($percent)` is `2.78%` or `2,78 %`, `GROUPED($amount)` groups a mobile-money amount's
//! thousands (`15 553`), `BYTES($size)` is `2.4 MB` or `2,4 Mo`, `STATUS($status)` names an
//! order's status in the language (`order-status-*`). Crypto amounts are not
//! formatted: buyers copy them into wallets.

use fluent_templates::FluentBundle;
use fluent_templates::fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// A narrow no-break space: French groups thousands with it and puts it before `$` and `%`.
const NNBSP: char = '\u{202f}';

/// Formats a decimal text for English (`false`) or French (`true`).
type Format = fn(bool, &str) -> String;

/// Registers `USD`, `PERCENT`, `GROUPED`, `BYTES` and `STATUS` on a language's bundle.
pub fn register(bundle: &mut FluentBundle<&'static FluentResource>) {
    let french = bundle
        .locales
        .first()
        .is_some_and(|l| l.language.as_str() == "fr");
    let formats: [(&str, Format); 4] = [
        ("USD", usd),
        ("PERCENT", percent),
        ("GROUPED", grouped),
        ("BYTES", bytes),
    ];
    for (name, format) in formats {
        let added = bundle.add_function(name, move |positional: &[FluentValue], _: &FluentArgs| {
            match positional.first() {
                Some(value) => FluentValue::from(format(french, &text_of(value))),
                None => FluentValue::Error,
            }
        });
        if let Err(e) = added {
            tracing::error!(name, error = ?e, "could not register a Fluent function");
        }
    }
    // An order's status in this language (`order-status-<status>`), for messages rendered
    // later in their reader's language (the outbox's alerts).
    let lang = if french { "fr" } else { "en" };
    let added = bundle.add_function(
        "STATUS",
        move |positional: &[FluentValue], _: &FluentArgs| match positional.first() {
            Some(value) => {
                FluentValue::from(super::t(lang, &format!("order-status-{}", text_of(value))))
            }
            None => FluentValue::Error,
        },
    );
    if let Err(e) = added {
        tracing::error!(error = ?e, "could not register the STATUS Fluent function");
    }
}

fn text_of(value: &FluentValue) -> String {
    match value {
        FluentValue::String(s) => s.to_string(),
        FluentValue::Number(n) => n.as_string().to_string(),
        _ => String::new(),
    }
}

/// Dollars from their decimal text (`"25.70"`, `"-3.00"`, `"1234.5"`).
pub fn usd(french: bool, text: &str) -> String {
    let (sign, int, frac) = parts(text);
    let frac = format!("{frac:0<2}");
    if french {
        format!("{sign}{},{frac}{NNBSP}$", group(int, NNBSP))
    } else {
        format!("{sign}${}.{frac}", group(int, ','))
    }
}

/// A percentage from its decimal text (`"2.78"`).
pub fn percent(french: bool, text: &str) -> String {
    if french {
        format!("{}{NNBSP}%", text.replace('.', ","))
    } else {
        format!("{text}%")
    }
}

/// A size in bytes as people read it: `512 KB`, `2.4 MB` (French: `2,4 Mo`), one decimal at most.
pub fn bytes(french: bool, text: &str) -> String {
    let Ok(n) = text.trim().parse::<u64>() else {
        return text.to_string();
    };
    let units: [&str; 4] = if french {
        ["o", "Ko", "Mo", "Go"]
    } else {
        ["B", "KB", "MB", "GB"]
    };
    let (mut whole, mut unit) = (n, 0);
    let mut tenths = 0;
    while whole >= 1024 && unit < units.len() - 1 {
        // Tenths of the next unit, rounded down (a size never reads larger than it is).
        tenths = (whole % 1024) * 10 / 1024;
        whole /= 1024;
        unit += 1;
    }
    let point = if french { ',' } else { '.' };
    let number = if unit == 0 || tenths == 0 || whole >= 100 {
        whole.to_string()
    } else {
        format!("{whole}{point}{tenths}")
    };
    format!("{number}{NNBSP}{}", units[unit])
}

/// A number with its thousands grouped, its decimals (if any) kept.
pub fn grouped(french: bool, text: &str) -> String {
    let (sign, int, frac) = parts(text);
    let (separator, point) = if french { (NNBSP, ',') } else { (',', '.') };
    let int = group(int, separator);
    if frac.is_empty() {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}{point}{frac}")
    }
}

/// Sign, integer digits and decimals of a decimal text; anything else is kept whole as digits.
fn parts(text: &str) -> (&str, &str, &str) {
    let text = text.trim();
    let (sign, rest) = if let Some(rest) = text.strip_prefix('-') {
        ("-", rest)
    } else if let Some(rest) = text.strip_prefix('+') {
        ("+", rest)
    } else {
        ("", text)
    };
    let (int, frac) = rest.split_once('.').unwrap_or((rest, ""));
    (sign, int, frac)
}

fn group(digits: &str, separator: char) -> String {
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return digits.to_string();
    }
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dollars_read_as_each_language_writes_them() {
        assert_eq!(usd(false, "25.70"), "$25.70");
        assert_eq!(usd(true, "25.70"), "25,70\u{202f}$");
        assert_eq!(usd(false, "1234567.5"), "$1,234,567.50");
        assert_eq!(usd(true, "1234.00"), "1\u{202f}234,00\u{202f}$");
        assert_eq!(usd(false, "-3.00"), "-$3.00");
        assert_eq!(usd(false, "+12.50"), "+$12.50");
        assert_eq!(usd(true, "-12.50"), "-12,50\u{202f}$");
        assert_eq!(usd(false, "7"), "$7.00");
    }

    #[test]
    fn percentages_and_grouped_amounts() {
        assert_eq!(percent(false, "2.78"), "2.78%");
        assert_eq!(percent(true, "2.78"), "2,78\u{202f}%");
        assert_eq!(grouped(true, "15553"), "15\u{202f}553");
        assert_eq!(grouped(false, "15553"), "15,553");
        assert_eq!(grouped(false, "999"), "999");
        assert_eq!(bytes(false, "2621440"), "2.5\u{202f}MB");
        assert_eq!(bytes(true, "2621440"), "2,5\u{202f}Mo");
        assert_eq!(bytes(false, "1000"), "1000\u{202f}B");
        assert_eq!(bytes(false, "524288"), "512\u{202f}KB");
    }
}
