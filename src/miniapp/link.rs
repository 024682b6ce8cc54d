//! `souk app-link`: a URL that opens the Mini App outside Telegram, as a given user, with the
//! launch parameters Telegram itself adds to the app's address (`#tgWebAppData=…`), signed
//! with the bot's token so the API accepts it (until `MINIAPP_AUTH_MAX_AGE` runs out).

use super::init_data;

/// Who the link signs in.
pub struct TrialUser<'a> {
    pub id: i64,
    pub first_name: &'a str,
    pub language: &'a str,
}

/// The app's address with signed launch parameters for `user`, signed at `now`; `start` is
/// the `startapp` parameter (a product's page: `p_<id>`).
pub fn trial_link(
    app_url: &url::Url,
    bot_token: &str,
    user: &TrialUser<'_>,
    start: Option<&str>,
    now: i64,
) -> String {
    let json = serde_json::json!({
        "id": user.id, "first_name": user.first_name, "language_code": user.language,
    });
    let mut fields = vec![("auth_date", now.to_string()), ("user", json.to_string())];
    if let Some(start) = start {
        fields.push(("start_param", start.to_string()));
    }
    let data = init_data::sign(&fields, bot_token);
    let launch = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("tgWebAppData", &data)
        .append_pair("tgWebAppVersion", "8.0")
        .append_pair("tgWebAppPlatform", "web")
        .finish();
    let mut link = app_url.clone();
    link.set_fragment(Some(&launch));
    link.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_link_carries_data_the_api_accepts() {
        let token = "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11";
        let base = url::Url::parse("https://shop.example/app").unwrap();
        let user = TrialUser {
            id: 42,
            first_name: "Aïcha Ndiaye",
            language: "fr",
        };
        let link = trial_link(&base, token, &user, Some("p_7"), 1_800_000_000);
        let parsed = url::Url::parse(&link).unwrap();
        assert_eq!(parsed.path(), "/app");
        let fragment = parsed.fragment().unwrap();
        let data = url::form_urlencoded::parse(fragment.as_bytes())
            .find(|(k, _)| k == "tgWebAppData")
            .map(|(_, v)| v.into_owned())
            .unwrap();
        let v = init_data::verify(&data, token, 1_800_000_010, 86_400).unwrap();
        assert_eq!(v.user.id, 42);
        assert_eq!(v.user.first_name, "Aïcha Ndiaye");
        assert_eq!(v.start_param.as_deref(), Some("p_7"));
    }
}
