//! The Mini App's settings: its public https address (`MINIAPP_URL`, the `/app` page Telegram
//! opens) and how long a signed `initData` stays good (`MINIAPP_AUTH_MAX_AGE`, seconds).

use super::{ConfigError, err};

#[derive(Debug, Clone)]
pub struct MiniAppConfig {
    /// The public https URL of `/app`; `None`: the app is not advertised (the menu button and
    /// links stay the bot's own).
    pub url: Option<url::Url>,
    /// Seconds after Telegram signed `initData` during which it is accepted.
    pub auth_max_age: i64,
}

/// One day, as Telegram's own examples suggest.
const DEFAULT_MAX_AGE: i64 = 86_400;

pub(super) fn miniapp_config(
    get: &dyn Fn(&str) -> Option<String>,
) -> Result<MiniAppConfig, ConfigError> {
    let url = match get("MINIAPP_URL") {
        None => None,
        Some(u) => Some(
            url::Url::parse(u.trim())
                .ok()
                .filter(|u| u.scheme() == "https" && u.has_host())
                .ok_or_else(|| {
                    err(
                        "MINIAPP_URL",
                        "must be an https URL such as https://shop.example/app (Telegram opens Mini Apps over https only)",
                    )
                })?,
        ),
    };
    let auth_max_age = match get("MINIAPP_AUTH_MAX_AGE") {
        None => DEFAULT_MAX_AGE,
        Some(v) => v
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|s| (60..=30 * 86_400).contains(s))
            .ok_or_else(|| {
                err(
                    "MINIAPP_AUTH_MAX_AGE",
                    "must be a number of seconds from 60 to 2592000 (30 days)",
                )
            })?,
    };
    Ok(MiniAppConfig { url, auth_max_age })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(vars: &[(&str, &str)]) -> Result<MiniAppConfig, ConfigError> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        miniapp_config(&move |k| vars.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()))
    }

    #[test]
    fn the_app_wants_https_and_a_sane_age() {
        let none = with(&[]).unwrap();
        assert!(none.url.is_none());
        assert_eq!(none.auth_max_age, 86_400);
        let set = with(&[
            ("MINIAPP_URL", "https://shop.example/app"),
            ("MINIAPP_AUTH_MAX_AGE", "3600"),
        ])
        .unwrap();
        assert_eq!(set.url.unwrap().as_str(), "https://shop.example/app");
        assert_eq!(set.auth_max_age, 3600);
        assert!(with(&[("MINIAPP_URL", "http://shop.example/app")]).is_err());
        assert!(with(&[("MINIAPP_AUTH_MAX_AGE", "5")]).is_err());
        assert!(with(&[("MINIAPP_AUTH_MAX_AGE", "a day")]).is_err());
    }
}
