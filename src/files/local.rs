//! File copies in a local folder (`FILES_DIR`, default `./files`).

use super::FileStoreError;
use std::path::{Component, Path, PathBuf};

pub struct LocalDir {
    root: PathBuf,
}

impl LocalDir {
    pub fn new(root: impl Into<PathBuf>) -> LocalDir {
        LocalDir { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The path of a key, refusing anything that would leave the folder.
    fn path(&self, key: &str) -> Result<PathBuf, FileStoreError> {
        let rel = Path::new(key);
        if key.is_empty() || !rel.components().all(|c| matches!(c, Component::Normal(_))) {
            return Err(FileStoreError::BadKey);
        }
        Ok(self.root.join(rel))
    }

    /// Writes through a temporary file and a rename, so a crash never leaves half a file.
    pub async fn put(&self, key: &str, bytes: &[u8]) -> Result<(), FileStoreError> {
        let path = self.path(key)?;
        if let Some(parent) = path.parent() {
            tokio::fs::create_dir_all(parent).await?;
        }
        let tmp = path.with_extension("part");
        tokio::fs::write(&tmp, bytes).await?;
        tokio::fs::rename(&tmp, &path).await?;
        Ok(())
    }

    pub async fn read(&self, key: &str) -> Result<Vec<u8>, FileStoreError> {
        Ok(tokio::fs::read(self.path(key)?).await?)
    }
}
