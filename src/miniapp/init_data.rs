//! Telegram's signed `initData`: who opened the Mini App. Checked exactly as Telegram specifies:
//! the data-check string (every field but `hash`, sorted by key, `key=value` joined by line
//! feeds) signed with HMAC-SHA256 under the key HMAC-SHA256("WebAppData", bot token), compared
//! in constant time; data older than the allowed age is refused.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

type HmacSha256 = Hmac<Sha256>;

/// The user the Mini App was opened by, from verified data only.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct AppUser {
    pub id: i64,
    pub first_name: String,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub language_code: Option<String>,
}

/// Verified `initData`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub user: AppUser,
    /// When Telegram signed it (unix seconds).
    pub auth_date: i64,
    /// The `startapp` parameter of the link that opened the app, if any.
    pub start_param: Option<String>,
}

/// Why `initData` is refused (each answered 401, the reason logged, never the data).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Missing,
    Malformed,
    BadSignature,
    Expired,
    NoUser,
}

impl Refusal {
    pub fn as_str(self) -> &'static str {
        match self {
            Refusal::Missing => "missing initData",
            Refusal::Malformed => "malformed initData",
            Refusal::BadSignature => "initData signature does not match",
            Refusal::Expired => "initData expired",
            Refusal::NoUser => "initData names no user",
        }
    }
}

/// The key Telegram signs a bot's `initData` with.
fn secret_key(bot_token: &str) -> [u8; 32] {
    let mut mac = HmacSha256::new_from_slice(b"WebAppData").expect("HMAC takes any key");
    mac.update(bot_token.as_bytes());
    mac.finalize().into_bytes().into()
}

/// Every field but `hash`, sorted by key, as `key=value` lines.
fn data_check_string(fields: &[(String, String)]) -> String {
    let mut lines: Vec<String> = fields
        .iter()
        .filter(|(k, _)| k != "hash")
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    lines.sort();
    lines.join("\n")
}

fn signature(fields: &[(String, String)], bot_token: &str) -> [u8; 32] {
    let mut mac = HmacSha256::new_from_slice(&secret_key(bot_token)).expect("32-byte key");
    mac.update(data_check_string(fields).as_bytes());
    mac.finalize().into_bytes().into()
}

/// Checks `init_data` (the query string `Telegram.WebApp.initData` holds) for `bot_token` at
/// `now`, refusing data signed more than `max_age` seconds ago (or in the future).
pub fn verify(
    init_data: &str,
    bot_token: &str,
    now: i64,
    max_age: i64,
) -> Result<Verified, Refusal> {
    if init_data.trim().is_empty() {
        return Err(Refusal::Missing);
    }
    let fields: Vec<(String, String)> = url::form_urlencoded::parse(init_data.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let mut keys: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
    keys.sort_unstable();
    if keys.windows(2).any(|w| w[0] == w[1]) {
        return Err(Refusal::Malformed);
    }
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let given = field("hash")
        .and_then(|h| hex::decode(h).ok())
        .filter(|h| h.len() == 32)
        .ok_or(Refusal::Malformed)?;
    let expected = signature(&fields, bot_token);
    if !bool::from(expected.as_slice().ct_eq(&given)) {
        return Err(Refusal::BadSignature);
    }
    let auth_date: i64 = field("auth_date")
        .and_then(|d| d.parse().ok())
        .ok_or(Refusal::Malformed)?;
    if now - auth_date > max_age || auth_date - now > 60 {
        return Err(Refusal::Expired);
    }
    let user: AppUser = field("user")
        .and_then(|u| serde_json::from_str(u).ok())
        .ok_or(Refusal::NoUser)?;
    Ok(Verified {
        user,
        auth_date,
        start_param: field("start_param").map(str::to_owned),
    })
}

/// Signs `fields` as Telegram would for `bot_token`: the `initData` query string with its
/// `hash` (for `souk app-link`, which opens the app outside Telegram, and for tests).
pub fn sign(fields: &[(&str, String)], bot_token: &str) -> String {
    let owned: Vec<(String, String)> = fields
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect();
    let hash = hex::encode(signature(&owned, bot_token));
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in &owned {
        query.append_pair(k, v);
    }
    query.append_pair("hash", &hash);
    query.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example Telegram's Mini Apps documentation publishes (docs.telegram-mini-apps.com).
    const TOKEN: &str = "5768337691:AAH5YkoiEuPk8-FZa32hStHTqXiLPtAEhx8";
    const PUBLISHED: &str = "query_id=AAHdF6IQAAAAAN0XohDhrOrc&user=%7B%22id%22%3A279058397%2C%22first_name%22%3A%22Vladislav%22%2C%22last_name%22%3A%22Kibenko%22%2C%22username%22%3A%22vdkfrost%22%2C%22language_code%22%3A%22ru%22%2C%22is_premium%22%3Atrue%7D&auth_date=1662771648&hash=c501b71e775f74ce10e377dea85a7ea24ecd640b223ea86dfe453e0eaed2e2b2";
    const SIGNED_AT: i64 = 1_662_771_648;
    const DAY: i64 = 86_400;

    #[test]
    fn the_published_example_verifies() {
        let v = verify(PUBLISHED, TOKEN, SIGNED_AT + 60, DAY).expect("valid");
        assert_eq!(v.user.id, 279_058_397);
        assert_eq!(v.user.username.as_deref(), Some("vdkfrost"));
        assert_eq!(v.user.language_code.as_deref(), Some("ru"));
        assert_eq!(v.auth_date, SIGNED_AT);
    }

    #[test]
    fn tampered_expired_foreign_or_malformed_data_is_refused() {
        let tampered = PUBLISHED.replace("279058397", "279058398");
        assert_eq!(
            verify(&tampered, TOKEN, SIGNED_AT, DAY),
            Err(Refusal::BadSignature)
        );
        let foreign = "5768337691:AAH5YkoiEuPk8-FZa32hStHTqXiLPtAEhx9";
        assert_eq!(
            verify(PUBLISHED, foreign, SIGNED_AT, DAY),
            Err(Refusal::BadSignature)
        );
        assert_eq!(
            verify(PUBLISHED, TOKEN, SIGNED_AT + DAY + 1, DAY),
            Err(Refusal::Expired)
        );
        assert_eq!(verify("", TOKEN, SIGNED_AT, DAY), Err(Refusal::Missing));
        let no_hash = PUBLISHED.split("&hash=").next().unwrap();
        assert_eq!(
            verify(no_hash, TOKEN, SIGNED_AT, DAY),
            Err(Refusal::Malformed)
        );
        let twice = format!("auth_date=1&{PUBLISHED}");
        assert_eq!(
            verify(&twice, TOKEN, SIGNED_AT, DAY),
            Err(Refusal::Malformed)
        );
    }

    #[test]
    fn what_souk_signs_verifies_and_names_its_user() {
        let user = r#"{"id":42,"first_name":"Aïcha","language_code":"fr"}"#;
        let data = sign(
            &[
                ("auth_date", "1800000000".into()),
                ("user", user.into()),
                ("start_param", "p_7".into()),
            ],
            TOKEN,
        );
        let v = verify(&data, TOKEN, 1_800_000_100, DAY).expect("valid");
        assert_eq!(v.user.first_name, "Aïcha");
        assert_eq!(v.start_param.as_deref(), Some("p_7"));
        let without_user = sign(&[("auth_date", "1800000000".into())], TOKEN);
        assert_eq!(
            verify(&without_user, TOKEN, 1_800_000_000, DAY),
            Err(Refusal::NoUser)
        );
    }
}
