//! `/invite`: the user's referral link (`?start=r_<id>`) and what it brought (signups,
//! purchases, earnings); and a new user arriving through such a link. The rules are in
//! `store::referrals` and the settlement's referral entries.

use super::{Deps, HandlerResult, Who};
use crate::store::referrals;
use std::sync::Arc;
use teloxide::prelude::*;

pub async fn invite(bot: Bot, who: Who, deps: Arc<Deps>) -> HandlerResult {
    let store = &deps.core.store;
    let figures = referrals::figures(store, who.id).await?;
    let policy = store.referrals();
    let link = format!("https://t.me/{}?start=r_{}", deps.bot_username, who.id);
    let text = who.tr(
        "invite",
        &[
            ("link", link),
            ("share", policy.share.percent().normalize().to_string()),
            ("days", (policy.window / 86_400).to_string()),
            ("signups", figures.signups.to_string()),
            ("purchases", figures.purchases.to_string()),
            ("earned", figures.earned.to_string()),
        ],
    );
    bot.send_message(who.chat(), text)
        .link_preview_options(super::screen::no_preview())
        .await?;
    Ok(())
}

/// `/start r_<id>`: a new user is attributed to the user whose link brought them (once and for
/// good; never themselves). Nothing is said: the welcome follows.
pub async fn arrived(deps: &Deps, who: &Who, code: &str) -> Result<(), super::BoxError> {
    if let Ok(referrer) = code.parse::<i64>()
        && referrals::attribute(&deps.core.store, who.id, referrer).await?
    {
        tracing::info!(user = who.id, referrer, "referred user arrived");
    }
    Ok(())
}
