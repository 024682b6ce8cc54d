//! Downloading a file a user sent, through the Bot API (`getFile` then the file URL; 20 MB at most).

use teloxide::net::Download;
use teloxide::prelude::*;
use teloxide::types::FileId;

/// The Bot API lets bots download files up to this size.
pub const BOT_DOWNLOAD_LIMIT: u64 = 20 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum DownloadError {
    #[error("the file is larger than {0} bytes")]
    TooLarge(u64),
    #[error("Telegram refused the file: {0}")]
    Telegram(#[from] teloxide::RequestError),
    #[error("the download failed: {0}")]
    Download(#[from] teloxide::DownloadError),
}

/// Downloads a file by `file_id`, refusing anything over `max_bytes` before and after the transfer.
pub async fn download(bot: &Bot, file_id: &str, max_bytes: u64) -> Result<Vec<u8>, DownloadError> {
    let file = bot.get_file(FileId(file_id.to_string())).await?;
    if u64::from(file.size) > max_bytes {
        return Err(DownloadError::TooLarge(max_bytes));
    }
    let mut bytes = Vec::with_capacity(file.size as usize);
    bot.download_file(&file.path, &mut bytes).await?;
    if bytes.len() as u64 > max_bytes {
        return Err(DownloadError::TooLarge(max_bytes));
    }
    Ok(bytes)
}
