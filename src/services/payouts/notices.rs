//! What sellers and admins are told about payouts, as outbox messages with their dedupe keys.

use crate::domain::UsdCents;
use crate::payments::currencies::label;
use crate::store::outbox::{OutboxMessage, Queued, to_admins};
use crate::store::payouts::Payout;

fn to(chat_id: i64, dedupe_key: String, key: &str, args: &[(&str, String)]) -> Queued {
    Queued::to_chat(chat_id, dedupe_key, OutboxMessage::text(key, args))
}

fn payout_args(p: &Payout) -> Vec<(&'static str, String)> {
    vec![
        ("id", p.id.to_string()),
        ("amount", p.amount.to_string()),
        ("currency", label(&p.currency)),
        ("address", p.address.clone()),
        ("seller", p.seller_id.to_string()),
    ]
}

/// The batch was verified: the seller's money is on its way.
pub fn on_its_way(p: &Payout) -> Queued {
    to(
        p.seller_id,
        format!("payout-sent:{}", p.id),
        "payout-on-its-way",
        &payout_args(p),
    )
}

/// The money arrived, with the transaction hash.
pub fn finished(p: &Payout, hash: Option<&str>) -> Queued {
    let mut args = payout_args(p);
    args.push(("hash", hash.unwrap_or("-").to_string()));
    to(
        p.seller_id,
        format!("payout-finished:{}", p.id),
        "payout-finished",
        &args,
    )
}

/// A sent payout failed: the seller and the admins are told the amount is back.
pub fn failed(p: &Payout, error: Option<&str>) -> Vec<Queued> {
    let mut args = payout_args(p);
    args.push(("error", error.unwrap_or("-").to_string()));
    let mut out = vec![to(
        p.seller_id,
        format!("payout-failed:{}", p.id),
        "payout-failed",
        &args,
    )];
    out.push(to_admins(
        &format!("payout-failed:{}", p.id),
        "admin-payout-failed",
        &args,
    ));
    out
}

/// The summary of a verified batch.
pub fn summary(batch_id: i64, paid: &[Payout], failures: usize, started_by: &str) -> Queued {
    let total: UsdCents = paid.iter().map(|p| p.amount).sum();
    let currency = paid.first().map(|p| label(&p.currency)).unwrap_or_default();
    to_admins(
        &format!("payout-summary:{batch_id}"),
        "admin-payout-summary",
        &[
            ("batch", batch_id.to_string()),
            ("count", paid.len().to_string()),
            ("total", total.to_string()),
            ("currency", currency),
            ("failures", failures.to_string()),
            ("started_by", started_by.to_string()),
        ],
    )
}

/// A batch that will never be paid: its amounts went back to the sellers.
pub fn released(batch_id: i64, returned: &[Payout], reason: &str) -> Vec<Queued> {
    if returned.is_empty() {
        return Vec::new();
    }
    let total: UsdCents = returned.iter().map(|p| p.amount).sum();
    // Each payout is released once: its id keeps this notice apart from other releases of the
    // same batch (a payout missing from the created batch, then the rest).
    let first = returned.iter().map(|p| p.id).min().unwrap_or_default();
    let mut out: Vec<Queued> = returned
        .iter()
        .map(|p| {
            to(
                p.seller_id,
                format!("payout-released:{}", p.id),
                "payout-released",
                &payout_args(p),
            )
        })
        .collect();
    out.push(to_admins(
        &format!("payout-released:{batch_id}:{first}:{}", returned.len()),
        "admin-payout-released",
        &[
            ("batch", batch_id.to_string()),
            ("count", returned.len().to_string()),
            ("total", total.to_string()),
            ("reason", reason.to_string()),
        ],
    ));
    out
}

/// A note about a run that created no batch (nothing to pay, short balance, an error).
/// `run` (e.g. the start time) keeps one note per run.
pub fn run_note(run: &str, key: &str, args: &[(&str, String)]) -> Queued {
    to_admins(&format!("{key}:{run}"), key, args)
}
