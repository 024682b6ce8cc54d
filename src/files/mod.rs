//! Where product files live: Telegram (by `file_id`), and a copy in S3/B2 or a local folder, used
//! when a `file_id` no longer works (a new bot token) and for short-lived download links.

pub mod copies;
pub mod local;
pub mod s3;
pub mod telegram;

use std::time::Duration;

/// How long a download link to a stored copy works.
pub const LINK_TTL: Duration = Duration::from_secs(15 * 60);

/// The copy of product files: an S3-compatible bucket when configured, else a local folder.
pub enum FileStore {
    Local(local::LocalDir),
    S3(s3::S3Store),
}

#[derive(Debug, thiserror::Error)]
pub enum FileStoreError {
    #[error("file storage I/O failed: {0}")]
    Io(#[from] std::io::Error),
    #[error("S3 request failed: {0}")]
    S3(String),
    #[error("invalid storage key")]
    BadKey,
}

impl FileStore {
    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), FileStoreError> {
        match self {
            FileStore::Local(dir) => dir.put(key, &bytes).await,
            FileStore::S3(s3) => s3.put(key, bytes).await,
        }
    }

    pub async fn read(&self, key: &str) -> Result<Vec<u8>, FileStoreError> {
        match self {
            FileStore::Local(dir) => dir.read(key).await,
            FileStore::S3(s3) => s3.read(key).await,
        }
    }

    /// A link that downloads the file for `ttl`, where the storage can give one (S3 presigning).
    pub async fn download_link(
        &self,
        key: &str,
        ttl: Duration,
    ) -> Result<Option<String>, FileStoreError> {
        match self {
            FileStore::Local(_) => Ok(None),
            FileStore::S3(s3) => s3.presigned_get(key, ttl).await.map(Some),
        }
    }

    /// For the log: where copies go (no credentials).
    pub fn describe(&self) -> String {
        match self {
            FileStore::Local(dir) => format!("local folder {}", dir.root().display()),
            FileStore::S3(s3) => format!("S3 bucket {}", s3.bucket()),
        }
    }
}

/// A storage key for a product's file: stable, free of path tricks, readable in a bucket listing.
pub fn key_for(product_id: i64, file_unique_id: &str, file_name: Option<&str>) -> String {
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                    c
                } else {
                    '_'
                }
            })
            .collect::<String>()
    };
    let name = file_name
        .map(clean)
        .filter(|n| !n.trim_matches('.').is_empty())
        .unwrap_or_else(|| "file".into());
    format!("products/{product_id}/{}/{name}", clean(file_unique_id))
}

#[cfg(test)]
mod tests {
    #[test]
    fn keys_have_no_path_tricks() {
        assert_eq!(
            super::key_for(7, "AgAD", Some("../../etc/passwd")),
            "products/7/AgAD/.._.._etc_passwd"
        );
        assert_eq!(
            super::key_for(7, "AgAD", Some("Livre été.pdf")),
            "products/7/AgAD/Livre__t_.pdf"
        );
        assert_eq!(super::key_for(7, "AgAD", None), "products/7/AgAD/file");
    }
}
