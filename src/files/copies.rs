//! Keeps a copy of every product file: downloaded from Telegram once published, stored under a
//! key recorded on the product. Copies missing after a crash are made at the next start.

use super::{FileStore, key_for, telegram};
use crate::store::{Store, products};
use std::sync::Arc;
use teloxide::Bot;

#[derive(Clone)]
pub struct FileCopies {
    pub store: Store,
    pub files: Arc<FileStore>,
    pub bot: Bot,
}

impl FileCopies {
    /// Copies a product's file in the background; a failure is logged and retried at next start.
    pub fn copy_later(&self, product_id: i64) {
        let this = self.clone();
        tokio::spawn(async move {
            if let Err(e) = this.copy(product_id).await {
                tracing::warn!(product_id, error = %e, "file copy failed; will retry at next start");
            }
        });
    }

    /// Downloads the product's current file from Telegram and stores it; returns the key.
    pub async fn copy(&self, product_id: i64) -> Result<Option<String>, crate::BoxError> {
        let Some(p) = products::get(&self.store, product_id).await? else {
            return Ok(None);
        };
        if p.file_id.is_empty() {
            return Ok(None);
        }
        let bytes = telegram::download(&self.bot, &p.file_id, telegram::BOT_DOWNLOAD_LIMIT).await?;
        let key = key_for(p.id, &p.file_unique_id, p.file_name.as_deref());
        self.files.put(&key, bytes).await?;
        // Recorded only if the product still has this file (the seller may have replaced it).
        products::set_storage_key(&self.store, p.id, &p.file_unique_id, &key).await?;
        tracing::info!(product_id, key, "file copied");
        Ok(Some(key))
    }

    /// Copies every file product that has no copy yet (after a crash, or files from before S3).
    pub async fn sweep(&self) {
        match products::missing_copies(&self.store).await {
            Ok(ids) => {
                for id in ids {
                    if let Err(e) = self.copy(id).await {
                        tracing::warn!(product_id = id, error = %e, "file copy failed");
                    }
                }
            }
            Err(e) => tracing::error!(error = %e, "could not list files to copy"),
        }
    }
}
