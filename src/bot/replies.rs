//! What a typed message means, by dialogue state: the routing table of replies. Each state
//! goes to one endpoint, which receives that state's fields and never matches the state again.

use super::screen::Place;
use super::state::State;
use super::{BoxError, ChatDialogue, Deps, HandlerResult, Who};
use super::{account, broadcast, catalog, coupons, dispute, pay, reviews, seller, shop, support};
use std::sync::Arc;
use teloxide::dispatching::UpdateHandler;
use teloxide::dptree::case;
use teloxide::prelude::*;

/// The replies branch of the handler tree (after commands).
pub fn schema() -> UpdateHandler<BoxError> {
    dptree::entry()
        .branch(case![State::Idle].endpoint(idle))
        .branch(case![State::WalletAddress].endpoint(wallet_address))
        .branch(case![State::WalletConfirm { address }].endpoint(wallet_confirm_pending))
        .branch(case![State::Edit { product_id, field }].endpoint(shop::receive_edit))
        .branch(case![State::BroadcastText].endpoint(broadcast_text))
        .branch(
            case![State::PayPhone {
                product_id,
                code,
                name
            }]
            .endpoint(pay::receive_phone),
        )
        .branch(case![State::SearchQuery].endpoint(search_words))
        .branch(case![State::SupportQuestion { order_id }].endpoint(support::question))
        .branch(case![State::SupportAnswer { order_id, buyer_id }].endpoint(support::answer))
        .branch(case![State::DisputeWrite { order_id }].endpoint(dispute::write))
        .branch(case![State::DisputeMessage { dispute_id }].endpoint(dispute::message))
        .branch(case![State::DisputePart { dispute_id }].endpoint(dispute::part))
        .branch(case![State::CouponCode { product_id }].endpoint(coupons::typed))
        .branch(case![State::ReviewComment { order_id }].endpoint(reviews::comment))
        .branch(case![State::ReviewAnswer { review_id }].endpoint(reviews::answer))
        .branch(seller::steps())
}

async fn idle(bot: Bot, who: Who) -> HandlerResult {
    bot.send_message(who.chat(), who.t("idle-hint")).await?;
    Ok(())
}

async fn wallet_address(
    bot: Bot,
    who: Who,
    msg: Message,
    deps: Arc<Deps>,
    dialogue: ChatDialogue,
) -> HandlerResult {
    match msg.text() {
        Some(text) => account::receive_address(bot, who, deps, dialogue, text).await,
        None => {
            let reason = who.t("wallet-not-an-address");
            bot.send_message(who.chat(), who.tr("wallet-invalid", &[("reason", reason)]))
                .await?;
            Ok(())
        }
    }
}

/// A new address waits for its confirm button.
async fn wallet_confirm_pending(bot: Bot, who: Who, _address: String) -> HandlerResult {
    bot.send_message(who.chat(), who.t("wallet-confirm-pending"))
        .await?;
    Ok(())
}

async fn broadcast_text(
    bot: Bot,
    who: Who,
    msg: Message,
    deps: Arc<Deps>,
    dialogue: ChatDialogue,
) -> HandlerResult {
    broadcast::receive(bot, who, deps, dialogue, msg).await
}

async fn search_words(
    bot: Bot,
    who: Who,
    msg: Message,
    deps: Arc<Deps>,
    dialogue: ChatDialogue,
) -> HandlerResult {
    dialogue.exit().await?;
    catalog::search(
        bot,
        who,
        deps,
        msg.text().unwrap_or_default(),
        0,
        Place::New,
    )
    .await
}
