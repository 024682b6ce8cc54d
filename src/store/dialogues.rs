//! Dialogue state in the database (teloxide's `Storage`), so a half-finished /sell survives a restart.

use super::{Store, StoreError, now};
use futures::future::BoxFuture;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::Row;
use std::marker::PhantomData;
use std::sync::Arc;
use teloxide::dispatching::dialogue::Storage;
use teloxide::types::ChatId;

/// Keeps each chat's dialogue state as JSON in the `dialogues` table.
pub struct DialogueStore<D> {
    store: Store,
    _state: PhantomData<fn() -> D>,
}

impl<D> DialogueStore<D> {
    pub fn new(store: Store) -> Arc<Self> {
        Arc::new(DialogueStore {
            store,
            _state: PhantomData,
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DialogueStoreError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("dialogue state does not decode: {0}")]
    Decode(#[from] serde_json::Error),
}

impl<D> Storage<D> for DialogueStore<D>
where
    D: Serialize + DeserializeOwned + Send + 'static,
{
    type Error = DialogueStoreError;

    fn remove_dialogue(
        self: Arc<Self>,
        chat_id: ChatId,
    ) -> BoxFuture<'static, Result<(), Self::Error>> {
        Box::pin(async move {
            sqlx::query("DELETE FROM dialogues WHERE chat_id = $1")
                .bind(chat_id.0)
                .execute(self.store.pool())
                .await
                .map_err(StoreError::from)?;
            Ok(())
        })
    }

    fn update_dialogue(
        self: Arc<Self>,
        chat_id: ChatId,
        dialogue: D,
    ) -> BoxFuture<'static, Result<(), Self::Error>> {
        Box::pin(async move {
            let state = serde_json::to_string(&dialogue)?;
            sqlx::query(
                "INSERT INTO dialogues (chat_id, state, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (chat_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
            )
            .bind(chat_id.0)
            .bind(state)
            .bind(now())
            .execute(self.store.pool())
            .await
            .map_err(StoreError::from)?;
            Ok(())
        })
    }

    fn get_dialogue(
        self: Arc<Self>,
        chat_id: ChatId,
    ) -> BoxFuture<'static, Result<Option<D>, Self::Error>> {
        Box::pin(async move {
            let row = sqlx::query("SELECT state FROM dialogues WHERE chat_id = $1")
                .bind(chat_id.0)
                .fetch_optional(self.store.pool())
                .await
                .map_err(StoreError::from)?;
            match row {
                None => Ok(None),
                Some(r) => {
                    let text: String = r.try_get("state").map_err(StoreError::from)?;
                    // A state from an older version that no longer decodes starts the chat afresh.
                    Ok(serde_json::from_str(&text).ok())
                }
            }
        })
    }
}
