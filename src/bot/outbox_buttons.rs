//! The buttons under a queued message (an admin's alert, a dispute's thread, a review
//! invitation, a restock alert), drawn in the reader's language when the message is sent.

use super::action::Action;
use crate::store::outbox::OrderButton;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

/// The buttons of a queued message, labelled in `lang`: a rating's stars on one row, the
/// others two to a row.
pub fn keyboard(lang: &str, buttons: &[OrderButton]) -> InlineKeyboardMarkup {
    let button = |b: &OrderButton| {
        let (key, action) = match *b {
            OrderButton::Reply { order, buyer } => {
                ("button-support-reply", Action::SupportReply(order, buyer))
            }
            OrderButton::Open { order } => ("button-open-order", Action::AdminPayment(order)),
            OrderButton::Refund { order } => ("button-refund", Action::AskRefund(order)),
            OrderButton::MarkPaid { order } => ("button-mark-paid", Action::AskMarkPaid(order)),
            OrderButton::DisputeReply { dispute } => {
                ("button-dispute-reply", Action::DisputeReply(dispute))
            }
            OrderButton::DisputeRefund { dispute } => {
                ("button-dispute-refund", Action::DisputeRefund(dispute))
            }
            OrderButton::DisputePart { dispute } => {
                ("button-dispute-part", Action::DisputePart(dispute))
            }
            OrderButton::DisputeClose { dispute } => {
                ("button-dispute-close", Action::DisputeClose(dispute))
            }
            OrderButton::Product { product } => ("button-view-product", Action::Product(product)),
            OrderButton::Renew { product } => ("button-renew", Action::Product(product)),
            OrderButton::ReviewAnswer { review } => {
                ("button-review-answer", Action::ReviewAnswer(review))
            }
            OrderButton::Rate { order, stars } => {
                let label = crate::i18n::tr(lang, "button-rate", &[("stars", stars.to_string())]);
                return InlineKeyboardButton::callback(label, Action::Rate(order, stars).encode());
            }
        };
        InlineKeyboardButton::callback(crate::i18n::t(lang, key), action.encode())
    };
    // The stars of a rating on one row; other buttons two by two.
    let (stars, others): (Vec<&OrderButton>, Vec<&OrderButton>) = buttons
        .iter()
        .partition(|b| matches!(b, OrderButton::Rate { .. }));
    let mut rows: Vec<Vec<InlineKeyboardButton>> = Vec::new();
    if !stars.is_empty() {
        rows.push(stars.into_iter().map(button).collect());
    }
    let others: Vec<InlineKeyboardButton> = others.into_iter().map(button).collect();
    rows.extend(others.chunks(2).map(<[_]>::to_vec));
    InlineKeyboardMarkup::new(rows)
}
