//! Never silence: when a handler fails, the user gets a short apology in their language, and the
//! error still reaches the log (the dispatcher's error handler).

use super::{BoxError, Deps};
use crate::i18n;
use std::ops::ControlFlow;
use std::sync::Arc;
use teloxide::dispatching::{DpHandlerDescription, UpdateHandler};
use teloxide::dptree::di::DependencyMap;
use teloxide::dptree::{self, Cont, HandlerDescription, HandlerSignature};
use teloxide::prelude::*;
use teloxide::types::UpdateKind;

/// The entry of the handler tree: runs the rest, and apologizes to the user when it fails.
pub fn on_error() -> UpdateHandler<BoxError> {
    dptree::from_fn_with_description(
        DpHandlerDescription::entry(),
        |deps: DependencyMap, cont: Cont<'static, Result<(), BoxError>>| async move {
            let result = cont(deps.clone()).await;
            if let ControlFlow::Break(Err(error)) = &result {
                apologize(&deps, &error.to_string()).await;
            }
            result
        },
        HandlerSignature::Entry,
    )
}

/// A short apology to the user behind the failed update: in a private chat, or as the answer
/// of the button they pressed.
async fn apologize(deps: &DependencyMap, error: &str) {
    let (Some(update), Some(bot), Some(souk)) = (
        deps.try_get::<Update>(),
        deps.try_get::<Bot>(),
        deps.try_get::<Arc<Deps>>(),
    ) else {
        return;
    };
    let Some(user) = update.from() else {
        return;
    };
    let Ok(id) = i64::try_from(user.id.0) else {
        return;
    };
    let app_language = i18n::negotiate(user.language_code.as_deref(), &souk.default_language);
    let lang = crate::store::users::language_or(&souk.core.store, id, &app_language).await;
    let text = i18n::t(&lang, "error-generic");
    tracing::warn!(user = id, %error, "a handler failed; the user was told");
    let told = match &update.kind {
        UpdateKind::CallbackQuery(q) => bot
            .answer_callback_query(q.id.clone())
            .text(text)
            .show_alert(true)
            .await
            .map(|_| ()),
        UpdateKind::Message(m) if m.chat.is_private() => {
            bot.send_message(m.chat.id, text).await.map(|_| ())
        }
        _ => Ok(()),
    };
    if let Err(e) = told {
        tracing::debug!(error = %e, "could not apologize");
    }
}
