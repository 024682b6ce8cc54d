//! The file bucket settings (`S3_*`): S3, Backblaze B2 or any S3-compatible server.

use super::{ConfigError, err};
use secrecy::SecretString;

/// Where the bucket is and how to sign requests to it.
#[derive(Debug, Clone)]
pub struct S3Config {
    pub bucket: String,
    pub endpoint: Option<String>,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: SecretString,
}

/// `S3_BUCKET` turns the bucket on, with its credentials; `None` keeps files in `FILES_DIR`.
pub(super) fn s3_config(
    get: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<S3Config>, ConfigError> {
    let Some(bucket) = get("S3_BUCKET") else {
        return Ok(None);
    };
    let need =
        |var: &'static str| get(var).ok_or_else(|| err(var, "is required when S3_BUCKET is set"));
    let endpoint = get("S3_ENDPOINT");
    if let Some(e) = &endpoint {
        url::Url::parse(e).map_err(|e| err("S3_ENDPOINT", format!("is not a URL ({e})")))?;
    }
    Ok(Some(S3Config {
        bucket,
        endpoint,
        region: get("S3_REGION").unwrap_or_else(|| "us-east-1".to_string()),
        access_key_id: need("S3_ACCESS_KEY_ID")?,
        secret_access_key: SecretString::from(need("S3_SECRET_ACCESS_KEY")?),
    }))
}
