//! Commands everyone uses: /start (with product deep links), /help, /language, /cancel, unknown commands.

use super::action::Action;
use super::screen::{self, Place};
use super::state::State;
use super::{
    ChatDialogue, Command, Deps, HandlerResult, Who, account, admin, broadcast, card, catalog,
    commands, moderation, reports, seller, shop,
};
use crate::i18n;
use std::sync::Arc;
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, KeyboardRemove};

pub async fn command(
    bot: Bot,
    who: Who,
    cmd: Command,
    deps: Arc<Deps>,
    dialogue: ChatDialogue,
    state: State,
) -> HandlerResult {
    // A command ends whatever flow was open: no later text is taken as a title or an address.
    if !matches!(cmd, Command::Cancel) {
        end_flow(&bot, &who, &dialogue, &state).await?;
    }
    match cmd {
        Command::Start(payload) => start(bot, who, deps, payload.trim()).await,
        Command::Help => {
            let admin = deps.core.admins().contains(&who.id);
            bot.send_message(who.chat(), commands::help(&who, admin))
                .await?;
            Ok(())
        }
        Command::Coupon(args) => super::coupons::create(bot, who, deps, &args).await,
        Command::Coupons => super::coupons::list(bot, who, deps).await,
        Command::Invite => super::invite::invite(bot, who, deps).await,
        Command::Export(args) => super::export::export(bot, who, deps, &args).await,
        Command::Reconcile(args) => super::books::reconcile(bot, who, deps, &args).await,
        Command::HideReview(args) => super::reviews::hide(bot, who, deps, &args).await,
        Command::Terms => {
            let terms = deps.terms.clone().unwrap_or_else(|| who.t("terms-default"));
            bot.send_message(who.chat(), terms).await?;
            Ok(())
        }
        Command::Sell => seller::begin(bot, who, deps, dialogue).await,
        Command::Wallet => account::wallet(bot, who, deps, dialogue).await,
        Command::Earnings => account::earnings(bot, who, deps).await,
        Command::Browse => catalog::categories(bot, who, deps, 0, Place::New).await,
        Command::Search(words) if words.trim().is_empty() => {
            catalog::prompt(bot, who, dialogue).await
        }
        Command::Search(words) => catalog::search(bot, who, deps, &words, 0, Place::New).await,
        Command::MyProducts => shop::list(bot, who, deps, 0, Place::New).await,
        Command::Categories => admin::categories(bot, who, deps).await,
        Command::CategoryAdd(args) => admin::category_add(bot, who, deps, &args).await,
        Command::CategoryRename(args) => admin::category_rename(bot, who, deps, &args).await,
        Command::CategoryDelete(args) => admin::category_delete(bot, who, deps, &args).await,
        Command::PayoutNow => admin::payout_now(bot, who, deps).await,
        Command::Ban(args) => moderation::ban(bot, who, deps, &args, true).await,
        Command::Unban(args) => moderation::ban(bot, who, deps, &args, false).await,
        Command::Hide(args) => moderation::hide(bot, who, deps, &args, true).await,
        Command::Unhide(args) => moderation::hide(bot, who, deps, &args, false).await,
        Command::Refund(args) => moderation::refund(bot, who, deps, &args).await,
        Command::Markpaid(args) => moderation::mark_paid(bot, who, deps, &args).await,
        Command::Stats(args) => reports::stats(bot, who, deps, &args).await,
        Command::Payments(args) => reports::payments(bot, who, deps, &args).await,
        Command::Payouts => reports::payouts(bot, who, deps).await,
        Command::Health => reports::health(bot, who, deps).await,
        Command::Broadcast => broadcast::begin(bot, who, deps, dialogue).await,

        Command::Purchases => super::purchases::purchases(bot, who, deps, 0, Place::New).await,
        Command::Paysupport => super::support::paysupport(bot, who, deps).await,
        Command::Language => {
            let keyboard = InlineKeyboardMarkup::new([[
                InlineKeyboardButton::callback("English", Action::Language("en".into()).encode()),
                InlineKeyboardButton::callback("Français", Action::Language("fr".into()).encode()),
            ]]);
            bot.send_message(who.chat(), who.t("language-choose"))
                .reply_markup(keyboard)
                .await?;
            Ok(())
        }
        Command::Cancel => {
            let had_flow = state != State::Idle;
            dialogue.exit().await?;
            bot.send_message(
                who.chat(),
                who.t(if had_flow {
                    "cancelled"
                } else {
                    "nothing-to-cancel"
                }),
            )
            .reply_markup(KeyboardRemove::new())
            .await?;
            Ok(())
        }
    }
}

/// `/start` shows the main menu; `/start p_<id>` opens a product card.
async fn start(bot: Bot, who: Who, deps: Arc<Deps>, payload: &str) -> HandlerResult {
    if let Some(code) = payload.strip_prefix("r_") {
        super::invite::arrived(&deps, &who, code).await?;
        return menu(bot, who, deps, Place::New).await;
    }
    if let Some(id) = payload.strip_prefix("s_") {
        return match id.parse::<i64>() {
            Ok(id) => super::reviews::seller_profile(bot, who, deps, id, Place::New).await,
            Err(_) => {
                bot.send_message(who.chat(), who.t("seller-unknown"))
                    .await?;
                Ok(())
            }
        };
    }
    if let Some(id) = payload.strip_prefix("p_") {
        return match id.parse::<i64>() {
            Ok(id) => card::show_product(bot, who, deps, id, Place::New).await,
            Err(_) => {
                bot.send_message(who.chat(), who.t("product-unavailable"))
                    .await?;
                Ok(())
            }
        };
    }
    menu(bot, who, deps, Place::New).await
}

/// The welcome menu: browse, search, purchases, sell.
pub async fn menu(bot: Bot, who: Who, deps: Arc<Deps>, place: Place) -> HandlerResult {
    let mut rows = vec![
        vec![
            InlineKeyboardButton::callback(who.t("menu-browse"), Action::Categories(0).encode()),
            InlineKeyboardButton::callback(who.t("menu-search"), Action::SearchPrompt.encode()),
        ],
        vec![InlineKeyboardButton::callback(
            who.t("menu-purchases"),
            Action::Purchases(0).encode(),
        )],
        vec![InlineKeyboardButton::callback(
            who.t("menu-sell"),
            Action::Sell.encode(),
        )],
    ];
    // The storefront Mini App first, when it is served.
    if let Some(open) = deps.app_button(&who, "menu-open-shop", None) {
        rows.insert(0, vec![open]);
    }
    let keyboard = InlineKeyboardMarkup::new(rows);
    let mut text = who.html("welcome", &[("ways", ways_to_pay(&who, &deps))]);
    if deps.core.simulator.is_some() {
        text = format!("{text}\n\n{}", who.html("sandbox-notice", &[]));
    }
    screen::show(&bot, &who, place, text, Some(keyboard)).await
}

/// The ways to pay this shop offers, as a sentence: "crypto, Telegram Stars or mobile money".
fn ways_to_pay(who: &Who, deps: &Deps) -> String {
    let ways: Vec<String> = deps
        .core
        .rails
        .names()
        .iter()
        .map(|name| who.t(&format!("way-{name}")))
        .collect();
    match ways.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} {} {last}", rest.join(", "), who.t("ways-or")),
    }
}

/// Ends the chat's open flow (`state`, as the dispatcher loaded it), if any. The phone step left
/// a reply keyboard on screen: it is removed (a keyboard goes only with a message, so a short
/// "Cancelled." carries it).
pub async fn end_flow(
    bot: &Bot,
    who: &Who,
    dialogue: &ChatDialogue,
    state: &State,
) -> HandlerResult {
    match state {
        State::Idle => return Ok(()),
        State::PayPhone { .. } => {
            bot.send_message(who.chat(), who.t("cancelled"))
                .reply_markup(KeyboardRemove::new())
                .await?;
        }
        _ => {}
    }
    dialogue.exit().await?;
    Ok(())
}

pub async fn unknown_command(bot: Bot, who: Who) -> HandlerResult {
    bot.send_message(who.chat(), who.t("unknown-command"))
        .await?;
    Ok(())
}

pub async fn set_language(
    bot: Bot,
    who: Who,
    q: CallbackQuery,
    deps: Arc<Deps>,
    code: String,
) -> HandlerResult {
    if !i18n::is_supported(&code) {
        bot.answer_callback_query(q.id.clone())
            .text(who.t("stale-button"))
            .await?;
        return Ok(());
    }
    crate::store::users::set_language(&deps.core.store, who.id, &code).await?;
    let who = Who { lang: code, ..who };
    bot.answer_callback_query(q.id.clone()).await?;
    if deps.core.admins().contains(&who.id)
        && let Err(e) = super::commands::admin_menu(&bot, who.id, &who.lang).await
    {
        tracing::warn!(error = %e, "could not set an admin's command menu in their language");
    }
    bot.send_message(who.chat(), who.t("language-set")).await?;
    Ok(())
}
