//! The end of /sell: the draft summed up (what buyers pay, what the seller earns, what is
//! delivered, under its cover photo when it has one) with Publish and Cancel; and the reminder
//! to set a payout wallet.

use crate::bot::action::Action;
use crate::bot::state::{Content, Draft, State};
use crate::bot::{BoxError, ChatDialogue, Deps, HandlerResult, Who};
use crate::domain::UsdCents;
use crate::store::categories;
use teloxide::prelude::*;
use teloxide::types::{FileId, InlineKeyboardButton, InlineKeyboardMarkup, InputFile};

/// Shows the draft and waits for Publish or Cancel.
pub(super) async fn show(
    bot: &Bot,
    who: &Who,
    deps: &Deps,
    dialogue: &ChatDialogue,
    draft: Draft,
) -> HandlerResult {
    let summary = summary(who, deps, &draft).await?;
    let photo = draft.photo.clone();
    dialogue.update(State::SellConfirm { draft }).await?;
    let keyboard = InlineKeyboardMarkup::new([[
        InlineKeyboardButton::callback(who.t("button-publish"), Action::Publish.encode()),
        InlineKeyboardButton::callback(who.t("button-cancel"), Action::DiscardDraft.encode()),
    ]]);
    let fits = summary.encode_utf16().count() <= crate::bot::screen::MAX_CAPTION;
    match photo.filter(|_| fits) {
        Some(photo) => {
            bot.send_photo(who.chat(), InputFile::file_id(FileId(photo)))
                .caption(summary)
                .reply_markup(keyboard)
                .await?;
        }
        None => {
            bot.send_message(who.chat(), summary)
                .reply_markup(keyboard)
                .await?;
        }
    }
    Ok(())
}

async fn summary(who: &Who, deps: &Deps, draft: &Draft) -> Result<String, BoxError> {
    let category = match draft.listing.category_id {
        Some(id) => categories::get(&deps.core.store, id)
            .await?
            .map(|c| c.name)
            .unwrap_or_default(),
        None => "-".into(),
    };
    let delivers = match &draft.content {
        Content::File { file_name, .. } => who.tr(
            "delivers-file",
            &[("file", file_name.clone().unwrap_or_else(|| "-".into()))],
        ),
        Content::Items(items) => who.tr("delivers-items", &[("count", items.len().to_string())]),
        Content::Text(t) => who.tr("delivers-text", &[("text", t.chars().take(200).collect())]),
        Content::Access { title, .. } => who.tr(
            "delivers-access",
            &[
                ("chat", title.clone()),
                ("days", draft.listing.access_days.unwrap_or(0).to_string()),
            ],
        ),
    };
    let price = UsdCents(draft.listing.price_cents);
    let quote = crate::domain::price::Quote::for_price(price, deps.checkout.commission);
    let cover = match draft.photo {
        Some(_) => who.t("sell-summary-cover"),
        None => who.t("sell-summary-no-cover"),
    };
    let mut text = who.tr(
        "sell-summary",
        &[
            ("title", draft.listing.title.clone()),
            ("description", draft.listing.description.clone()),
            ("price", price.to_string()),
            ("total", quote.total.to_string()),
            ("category", category),
            ("delivers", delivers),
            ("cover", cover),
        ],
    );
    if let Some(nag) = wallet_nag(who, deps).await? {
        text = format!("{text}\n\n{nag}");
    }
    Ok(text)
}

/// A seller without a payout wallet is asked to set one (their sales wait for it).
pub(super) async fn wallet_nag(who: &Who, deps: &Deps) -> Result<Option<String>, BoxError> {
    let wallet = crate::store::wallets::get(&deps.core.store, who.id).await?;
    Ok(wallet.is_none().then(|| who.t("sell-no-wallet")))
}
