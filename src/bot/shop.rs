//! A seller's shop (/myproducts): their products with sales counts, and for each: pause/resume,
//! price, title, description, file or text, restock, delete. Only the owner can touch a product.

use super::action::Action;
use super::screen::{self, Place};
use super::seller::{self, MAX_DESCRIPTION, MAX_TITLE};
use super::state::{EditField, State};
use super::{ChatDialogue, Deps, HandlerResult, Who, uploads};
use crate::domain::product::ProductKind;
use crate::store::products::{self, Change, Product};
use crate::store::stock;
use std::sync::Arc;
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

/// Products shown on one page of /myproducts.
const PAGE_SIZE: usize = 10;

/// /myproducts, page `page`: a button per product (title, price, sales, state), newest first.
pub async fn list(bot: Bot, who: Who, deps: Arc<Deps>, page: i64, place: Place) -> HandlerResult {
    let mine = products::by_seller(&deps.core.store, who.id).await?;
    if mine.is_empty() {
        return screen::show(&bot, &who, place, who.html("myproducts-empty", &[]), None).await;
    }
    let pages = mine.len().div_ceil(PAGE_SIZE) as i64;
    let page = page.clamp(0, pages - 1);
    let mut rows: Vec<Vec<InlineKeyboardButton>> = mine
        .iter()
        .skip(page as usize * PAGE_SIZE)
        .take(PAGE_SIZE)
        .map(|(p, sales)| {
            let label = who.tr(
                "myproducts-item",
                &[
                    ("title", p.title.clone()),
                    ("price", p.price.to_string()),
                    ("sales", sales.to_string()),
                    ("status", who.t(&format!("product-status-{}", p.status))),
                ],
            );
            vec![InlineKeyboardButton::callback(
                label,
                Action::Manage(p.id).encode(),
            )]
        })
        .collect();
    screen::pager(&who, &mut rows, page, page + 1 < pages, Action::MyProducts);
    let header = who.html("myproducts-header", &[]);
    screen::show(
        &bot,
        &who,
        place,
        header,
        Some(InlineKeyboardMarkup::new(rows)),
    )
    .await
}

/// The product if `who` owns it and it is not deleted; otherwise tells them and gives `None`.
async fn own(
    bot: &Bot,
    who: &Who,
    deps: &Deps,
    id: i64,
) -> Result<Option<Product>, super::BoxError> {
    match products::get(&deps.core.store, id).await? {
        Some(p) if p.seller_id == who.id && p.status != "deleted" => Ok(Some(p)),
        _ => {
            bot.send_message(who.chat(), who.t("not-your-product"))
                .await?;
            Ok(None)
        }
    }
}

/// A product's card for its seller, with what they can change: in `place`, under `notice`
/// (what the last action did) when there is one.
async fn manage(
    bot: &Bot,
    who: &Who,
    deps: &Deps,
    id: i64,
    place: Place,
    notice: Option<String>,
) -> HandlerResult {
    let Some(p) = own(bot, who, deps, id).await? else {
        return Ok(());
    };
    let stock_line = match p.kind {
        ProductKind::Items => {
            let (available, total) = stock::counts(&deps.core.store, p.id).await?;
            who.tr(
                "manage-stock",
                &[
                    ("available", available.to_string()),
                    ("total", total.to_string()),
                ],
            )
        }
        ProductKind::Access => super::members::summary(deps, who, &p).await?,
        _ => String::new(),
    };
    let text = who.html(
        "manage-card",
        &[
            ("title", p.title.clone()),
            ("price", p.price.to_string()),
            ("kind", who.t(&format!("kind-name-{}", p.kind.as_str()))),
            ("status", who.t(&format!("product-state-{}", p.status))),
            ("link", super::catalog::deep_link(deps, p.id)),
            ("stock", stock_line),
        ],
    );
    let button =
        |key: &str, action: Action| InlineKeyboardButton::callback(who.t(key), action.encode());
    let toggle = if p.is_active() {
        "button-pause"
    } else {
        "button-resume"
    };
    let content = match p.kind {
        ProductKind::File => Some(button(
            "button-edit-file",
            Action::Edit(p.id, EditField::File),
        )),
        ProductKind::Items => Some(button(
            "button-restock",
            Action::Edit(p.id, EditField::Restock),
        )),
        ProductKind::Text => Some(button(
            "button-edit-text",
            Action::Edit(p.id, EditField::Text),
        )),
        ProductKind::Access => Some(button("button-members", Action::Members(p.id))),
    };
    let keyboard = InlineKeyboardMarkup::new([
        vec![
            button(toggle, Action::Toggle(p.id)),
            button("button-edit-price", Action::Edit(p.id, EditField::Price)),
        ],
        vec![
            button("button-edit-title", Action::Edit(p.id, EditField::Title)),
            button(
                "button-edit-description",
                Action::Edit(p.id, EditField::Description),
            ),
        ],
        content
            .into_iter()
            .chain([button(
                "button-edit-cover",
                Action::Edit(p.id, EditField::Photo),
            )])
            .collect(),
        vec![
            button("button-delete", Action::Delete(p.id)),
            button("button-back", Action::MyProducts(0)),
        ],
    ]);
    let text = match notice {
        Some(notice) => format!("{notice}\n\n{text}"),
        None => text,
    };
    match &p.photo {
        Some(photo) => screen::show_photo(bot, who, place, photo, text, Some(keyboard)).await,
        None => screen::show(bot, who, place, text, Some(keyboard)).await,
    }
}

pub async fn on_press(
    bot: Bot,
    who: Who,
    deps: Arc<Deps>,
    dialogue: ChatDialogue,
    action: Action,
    place: Place,
) -> HandlerResult {
    match action {
        Action::MyProducts(page) => list(bot, who, deps, page, place).await,
        Action::Manage(id) => manage(&bot, &who, &deps, id, place, None).await,
        Action::Members(id) => super::members::list(&bot, &who, &deps, id, place).await,
        Action::EndMember(id, member) => {
            super::members::ask_end(&bot, &who, &deps, (id, member), place).await
        }
        Action::EndMemberConfirmed(id, member) => {
            super::members::end(&bot, &who, &deps, (id, member), place).await
        }
        Action::Toggle(id) => {
            let Some(p) = own(&bot, &who, &deps, id).await? else {
                return Ok(());
            };
            let next = if p.is_active() { "paused" } else { "active" };
            products::change(&deps.core.store, id, who.id, &Change::Status(next)).await?;
            let notice = who.html(
                if next == "paused" {
                    "product-paused"
                } else {
                    "product-resumed"
                },
                &[],
            );
            manage(&bot, &who, &deps, id, place, Some(notice)).await
        }
        Action::Edit(id, field) => {
            let Some(p) = own(&bot, &who, &deps, id).await? else {
                return Ok(());
            };
            let fits = match field {
                EditField::File => p.kind == ProductKind::File,
                EditField::Text => p.kind == ProductKind::Text,
                EditField::Restock => p.kind == ProductKind::Items,
                _ => true,
            };
            if !fits {
                bot.send_message(who.chat(), who.t("stale-button")).await?;
                return Ok(());
            }
            dialogue
                .update(State::Edit {
                    product_id: id,
                    field,
                })
                .await?;
            let prompt = match field {
                EditField::Price => {
                    who.tr("sell-ask-price", &[("min", deps.minimum_price.to_string())])
                }
                EditField::Title => who.tr("sell-ask-title", &[("max", MAX_TITLE.to_string())]),
                EditField::Description => who.tr(
                    "sell-ask-description",
                    &[("max", MAX_DESCRIPTION.to_string())],
                ),
                EditField::File => who.t("sell-ask-file"),
                EditField::Text => who.t("sell-ask-text"),
                EditField::Restock => who.t("restock-ask"),
                EditField::Photo => who.t("cover-ask"),
            };
            let mut ask = bot.send_message(who.chat(), prompt);
            if field == EditField::Photo && p.photo.is_some() {
                let remove = InlineKeyboardButton::callback(
                    who.t("button-remove-cover"),
                    Action::RemovePhoto(id).encode(),
                );
                ask = ask.reply_markup(InlineKeyboardMarkup::new([[remove]]));
            }
            ask.await?;
            Ok(())
        }
        Action::RemovePhoto(id) => {
            if own(&bot, &who, &deps, id).await?.is_none() {
                return Ok(());
            }
            products::change(&deps.core.store, id, who.id, &Change::Photo(None)).await?;
            if let Some(State::Edit { product_id, .. }) = dialogue.get().await?
                && product_id == id
            {
                dialogue.exit().await?;
            }
            let notice = who.html("cover-removed", &[]);
            manage(&bot, &who, &deps, id, place, Some(notice)).await
        }
        Action::Delete(id) => {
            let Some(p) = own(&bot, &who, &deps, id).await? else {
                return Ok(());
            };
            let keyboard = InlineKeyboardMarkup::new([[
                InlineKeyboardButton::callback(
                    who.t("button-delete-confirm"),
                    Action::DeleteConfirmed(id).encode(),
                ),
                InlineKeyboardButton::callback(who.t("button-back"), Action::Manage(id).encode()),
            ]]);
            let ask = who.html("delete-confirm", &[("title", p.title)]);
            screen::below_photo(&bot, &who, place, ask, Some(keyboard)).await
        }
        Action::DeleteConfirmed(id) => {
            let key = if products::change(&deps.core.store, id, who.id, &Change::Status("deleted"))
                .await?
            {
                tracing::info!(product_id = id, seller_id = who.id, "product deleted");
                "product-deleted"
            } else {
                "not-your-product"
            };
            let back = InlineKeyboardButton::callback(
                who.t("button-back"),
                Action::MyProducts(0).encode(),
            );
            let keyboard = InlineKeyboardMarkup::new([[back]]);
            screen::show(&bot, &who, place, who.html(key, &[]), Some(keyboard)).await
        }
        _ => Ok(()),
    }
}

/// The seller's answer to an edit prompt.
pub async fn receive_edit(
    bot: Bot,
    who: Who,
    msg: Message,
    deps: Arc<Deps>,
    dialogue: ChatDialogue,
    (id, field): (i64, EditField),
) -> HandlerResult {
    let text = msg.text().map(str::trim);
    let change = match field {
        EditField::Price => match seller::price(&who, &deps, text) {
            Ok(price) => Change::Price(price),
            Err(reply) => {
                bot.send_message(who.chat(), reply).await?;
                return Ok(());
            }
        },
        EditField::Title => match seller::title_of(&who, text) {
            Ok(t) => Change::Title(t),
            Err(reply) => {
                bot.send_message(who.chat(), reply).await?;
                return Ok(());
            }
        },
        EditField::Description => match seller::description_of(&who, text) {
            Ok(d) => Change::Description(d),
            Err(reply) => {
                bot.send_message(who.chat(), reply).await?;
                return Ok(());
            }
        },
        EditField::File => match msg.document() {
            Some(doc) => Change::File {
                file_id: doc.file.id.0.clone(),
                file_unique_id: doc.file.unique_id.0.clone(),
                file_name: doc.file_name.clone(),
                file_size: Some(i64::from(doc.file.size)),
            },
            None => {
                bot.send_message(who.chat(), who.t("sell-file-not-document"))
                    .await?;
                return Ok(());
            }
        },
        EditField::Photo => match uploads::cover_of(&msg) {
            Some(photo) => Change::Photo(Some(photo)),
            None => {
                bot.send_message(who.chat(), who.t("cover-not-photo"))
                    .await?;
                return Ok(());
            }
        },
        EditField::Text => match text.filter(|t| !t.is_empty()) {
            Some(t) => Change::Text(t.to_string()),
            None => {
                bot.send_message(who.chat(), who.t("sell-text-not-text"))
                    .await?;
                return Ok(());
            }
        },
        EditField::Restock => {
            let Some(upload) = uploads::read_items(&bot, &who, &msg).await? else {
                return Ok(());
            };
            if own(&bot, &who, &deps, id).await?.is_none() {
                dialogue.exit().await?;
                return Ok(());
            }
            let added = stock::restock(&deps.core.store, id, &upload.items).await?;
            dialogue.exit().await?;
            if added > 0 {
                crate::services::sold_out::deliver_after_restock(&deps.core.settler, id).await?;
                crate::services::restock::alert_waiting(&deps.core.store, id).await?;
            }
            let refused = upload.items.len() as u64 - added + upload.repeated as u64;
            bot.send_message(
                who.chat(),
                who.tr(
                    "restocked",
                    &[
                        ("added", added.to_string()),
                        ("refused", refused.to_string()),
                    ],
                ),
            )
            .await?;
            return manage(&bot, &who, &deps, id, Place::New, None).await;
        }
    };
    let replaced_file = matches!(change, Change::File { .. });
    if !products::change(&deps.core.store, id, who.id, &change).await? {
        dialogue.exit().await?;
        bot.send_message(who.chat(), who.t("not-your-product"))
            .await?;
        return Ok(());
    }
    dialogue.exit().await?;
    if replaced_file {
        deps.file_copies.copy_later(id);
    }
    let updated = who.html("product-updated", &[]);
    manage(&bot, &who, &deps, id, Place::New, Some(updated)).await
}
