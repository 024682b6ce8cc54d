//! The command lists, in one place: what /help shows, and the menus Telegram lists beside the
//! input field (everyone's, per language; each admin's own, with the admin commands), and the
//! bot's description per language.

use super::Who;
use crate::i18n;
use crate::store::{Store, users};
use teloxide::prelude::*;
use teloxide::types::{BotCommand, BotCommandScope, Recipient};

/// What everyone can do, in the order the menu shows it.
pub const EVERYONE: [&str; 17] = [
    "start",
    "browse",
    "search",
    "purchases",
    "paysupport",
    "sell",
    "myproducts",
    "coupon",
    "coupons",
    "invite",
    "wallet",
    "earnings",
    "export",
    "language",
    "terms",
    "help",
    "cancel",
];

/// What admins can do besides.
pub const ADMINS: [&str; 18] = [
    "stats",
    "payments",
    "payouts",
    "health",
    "broadcast",
    "refund",
    "markpaid",
    "ban",
    "unban",
    "hide",
    "unhide",
    "hide_review",
    "payout_now",
    "reconcile",
    "categories",
    "category_add",
    "category_rename",
    "category_delete",
];

fn menu(lang: &str, names: &[&str]) -> Vec<BotCommand> {
    names
        .iter()
        .map(|c| BotCommand::new(*c, i18n::t(lang, &format!("command-{c}"))))
        .collect()
}

/// The /help text: every command the user can use, and for an admin the admin section.
pub fn help(who: &Who, admin: bool) -> String {
    let lines = |names: &[&str]| -> String {
        names
            .iter()
            .map(|c| format!("/{c} · {}", who.t(&format!("command-{c}"))))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut text = format!("{}\n{}", who.t("help-header"), lines(&EVERYONE));
    if admin {
        text = format!(
            "{text}\n\n{}\n{}",
            who.t("help-admin-header"),
            lines(&ADMINS)
        );
    }
    text
}

/// Sets the menus and descriptions: everyone's in the default language (what users of other
/// languages see) and in each language souk speaks; each admin's, in their language, with the
/// admin commands. Failures are logged: the bot works without them.
pub async fn register(
    bot: &Bot,
    store: &Store,
    admins: &[i64],
    default_language: &str,
    miniapp_url: Option<&url::Url>,
) {
    let mut results = Vec::new();
    let mut set = |r: Result<_, teloxide::RequestError>| results.push(r.map(|_| ()));
    // The menu button opens the storefront Mini App when it is served.
    if let Some(url) = miniapp_url {
        let button = teloxide::types::MenuButton::WebApp {
            text: i18n::t(default_language, "menu-button-shop"),
            web_app: teloxide::types::WebAppInfo { url: url.clone() },
        };
        set(bot.set_chat_menu_button().menu_button(button).await);
    }
    set(bot.set_my_commands(menu(default_language, &EVERYONE)).await);
    set(bot
        .set_my_description()
        .description(i18n::t(default_language, "bot-description"))
        .await);
    set(bot
        .set_my_short_description()
        .short_description(i18n::t(default_language, "bot-short-description"))
        .await);
    for lang in i18n::SUPPORTED {
        set(bot
            .set_my_commands(menu(lang, &EVERYONE))
            .language_code(lang)
            .await);
        set(bot
            .set_my_description()
            .description(i18n::t(lang, "bot-description"))
            .language_code(lang)
            .await);
        set(bot
            .set_my_short_description()
            .short_description(i18n::t(lang, "bot-short-description"))
            .language_code(lang)
            .await);
    }
    for admin in admins {
        let lang = users::language_or(store, *admin, default_language).await;
        set(admin_menu(bot, *admin, &lang).await);
    }
    if let Some(Err(e)) = results.into_iter().find(Result::is_err) {
        tracing::warn!(error = %e, "could not register the command menus or descriptions");
    }
}

/// An admin's own command menu (everyone's commands and the admin ones) in `lang`, scoped to
/// their chat: set at start and again when they choose another language.
pub async fn admin_menu(
    bot: &Bot,
    admin: i64,
    lang: &str,
) -> Result<teloxide::types::True, teloxide::RequestError> {
    let mut commands = menu(lang, &EVERYONE);
    commands.extend(menu(lang, &ADMINS));
    let scope = BotCommandScope::Chat {
        chat_id: Recipient::Id(ChatId(admin)),
    };
    bot.set_my_commands(commands).scope(scope).await
}
