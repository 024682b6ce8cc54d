//! A seller's account: the payout wallet (/wallet) and the earnings ledger (/earnings).

use super::action::Action;
use super::state::State;
use super::{ChatDialogue, Deps, HandlerResult, Who};
use crate::i18n;
use crate::payments::AddressCheck;
use crate::payments::currencies::label;
use crate::store::{ledger, wallets};
use std::sync::Arc;
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

const MAX_ADDRESS: usize = 128;

pub async fn wallet(bot: Bot, who: Who, deps: Arc<Deps>, dialogue: ChatDialogue) -> HandlerResult {
    let coin = label(&deps.payout_currency);
    let text = match wallets::get(&deps.core.store, who.id).await? {
        Some(w) => who.tr("wallet-current", &[("coin", coin), ("address", w.address)]),
        None => who.tr("wallet-none", &[("coin", coin)]),
    };
    dialogue.update(State::WalletAddress).await?;
    bot.send_message(who.chat(), text).await?;
    Ok(())
}

/// An address typed while /wallet waits for one.
pub async fn receive_address(
    bot: Bot,
    who: Who,
    deps: Arc<Deps>,
    dialogue: ChatDialogue,
    text: &str,
) -> HandlerResult {
    let address = text.trim();
    if address.is_empty() || address.len() > MAX_ADDRESS || address.contains(char::is_whitespace) {
        bot.send_message(
            who.chat(),
            who.tr(
                "wallet-invalid",
                &[("reason", who.t("wallet-not-an-address"))],
            ),
        )
        .await?;
        return Ok(());
    }
    match deps
        .core
        .gateway
        .validate_address(&deps.payout_currency, address)
        .await
    {
        Ok(AddressCheck::Invalid(reason)) => {
            bot.send_message(who.chat(), who.tr("wallet-invalid", &[("reason", reason)]))
                .await?;
        }
        Err(e) => {
            tracing::warn!(error = %e, "address validation unavailable");
            bot.send_message(who.chat(), who.t("provider-down")).await?;
        }
        Ok(AddressCheck::Valid) => match wallets::get(&deps.core.store, who.id).await? {
            Some(current) if current.address != address => {
                dialogue
                    .update(State::WalletConfirm {
                        address: address.to_string(),
                    })
                    .await?;
                let keyboard = InlineKeyboardMarkup::new([[
                    InlineKeyboardButton::callback(
                        who.t("button-wallet-replace"),
                        Action::WalletReplace.encode(),
                    ),
                    InlineKeyboardButton::callback(
                        who.t("button-wallet-keep"),
                        Action::WalletKeep.encode(),
                    ),
                ]]);
                let text = who.tr(
                    "wallet-confirm-change",
                    &[("old", current.address), ("new", address.to_string())],
                );
                bot.send_message(who.chat(), text)
                    .reply_markup(keyboard)
                    .await?;
            }
            _ => save(&bot, &who, &deps, &dialogue, address).await?,
        },
    }
    Ok(())
}

async fn save(
    bot: &Bot,
    who: &Who,
    deps: &Deps,
    dialogue: &ChatDialogue,
    address: &str,
) -> HandlerResult {
    let wallet = wallets::Wallet {
        currency: deps.payout_currency.clone(),
        address: address.to_string(),
    };
    wallets::save(&deps.core.store, who.id, &wallet).await?;
    dialogue.exit().await?;
    tracing::info!(seller_id = who.id, "payout wallet saved");
    let text = who.tr(
        "wallet-saved",
        &[
            ("coin", label(&deps.payout_currency)),
            ("address", wallet.address),
        ],
    );
    bot.send_message(who.chat(), text).await?;
    Ok(())
}

pub async fn on_press(
    bot: Bot,
    who: Who,
    deps: Arc<Deps>,
    dialogue: ChatDialogue,
    action: Action,
) -> HandlerResult {
    match (action, dialogue.get().await?) {
        (Action::WalletReplace, Some(State::WalletConfirm { address })) => {
            save(&bot, &who, &deps, &dialogue, &address).await
        }
        (Action::WalletKeep, Some(State::WalletConfirm { .. })) => {
            dialogue.exit().await?;
            bot.send_message(who.chat(), who.t("wallet-kept")).await?;
            Ok(())
        }
        _ => {
            bot.send_message(who.chat(), who.t("stale-button")).await?;
            Ok(())
        }
    }
}

pub async fn earnings(bot: Bot, who: Who, deps: Arc<Deps>) -> HandlerResult {
    let balances = ledger::balances(&deps.core.store, who.id).await?;
    let pending = ledger::pending(&deps.core.store, who.id).await?;
    let mut text = who.tr(
        "earnings-summary",
        &[
            ("pending", pending.to_string()),
            ("available", balances.available.to_string()),
            ("paid", balances.paid_out.to_string()),
            (
                "held",
                match balances.held.0 {
                    0 => "none".to_string(),
                    _ => balances.held.to_string(),
                },
            ),
            (
                "frozen",
                match balances.frozen.0 {
                    0 => "none".to_string(),
                    _ => balances.frozen.to_string(),
                },
            ),
            (
                "until",
                balances.held_until.map(i18n::date).unwrap_or_default(),
            ),
        ],
    );
    let entries = ledger::recent(&deps.core.store, who.id, 5).await?;
    if entries.is_empty() {
        text = format!("{text}\n\n{}", who.t("earnings-no-entries"));
    } else {
        text = format!("{text}\n\n{}", who.t("earnings-recent"));
        for e in entries {
            let kind = who.t(&format!("ledger-{}", e.kind.as_str()));
            let mut args = vec![
                ("date", i18n::date(e.created_at)),
                ("kind", kind),
                ("amount", signed(e.amount)),
            ];
            // Payouts and their reversals belong to no order.
            let key = match e.order_id {
                Some(order) => {
                    args.push(("order", order.to_string()));
                    "earnings-entry"
                }
                None => "earnings-entry-no-order",
            };
            let line = who.tr(key, &args);
            text = format!("{text}\n{line}");
        }
    }
    bot.send_message(who.chat(), text).await?;
    Ok(())
}

/// "+25.00" for a credit, "-25.00" for a debit.
fn signed(amount: crate::domain::UsdCents) -> String {
    if amount.0 >= 0 {
        format!("+{amount}")
    } else {
        amount.to_string()
    }
}
