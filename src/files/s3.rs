//! File copies in an S3-compatible bucket (AWS S3, Backblaze B2, MinIO), with presigned links.

use super::FileStoreError;
pub use crate::config::S3Config;
use aws_sdk_s3::Client;
use aws_sdk_s3::config::{
    BehaviorVersion, Builder, Credentials, Region, RequestChecksumCalculation,
    ResponseChecksumValidation,
};
use aws_sdk_s3::presigning::PresigningConfig;
use aws_sdk_s3::primitives::ByteStream;
use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
use secrecy::ExposeSecret;
use std::time::Duration;

pub struct S3Store {
    client: Client,
    bucket: String,
}

impl S3Store {
    /// Path-style addressing and checksums only when required: what Backblaze B2 and most
    /// S3-compatible servers need. TLS through rustls with ring.
    pub fn new(c: &S3Config) -> S3Store {
        let http = aws_smithy_http_client::Builder::new()
            .tls_provider(Provider::Rustls(CryptoMode::Ring))
            .build_https();
        let mut conf = Builder::new()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(c.region.clone()))
            .force_path_style(true)
            .credentials_provider(Credentials::new(
                c.access_key_id.clone(),
                c.secret_access_key.expose_secret().to_string(),
                None,
                None,
                "souk-config",
            ))
            .request_checksum_calculation(RequestChecksumCalculation::WhenRequired)
            .response_checksum_validation(ResponseChecksumValidation::WhenRequired)
            .http_client(http);
        if let Some(endpoint) = &c.endpoint {
            conf = conf.endpoint_url(endpoint.clone());
        }
        S3Store {
            client: Client::from_conf(conf.build()),
            bucket: c.bucket.clone(),
        }
    }

    pub fn bucket(&self) -> &str {
        &self.bucket
    }

    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), FileStoreError> {
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .body(ByteStream::from(bytes))
            .send()
            .await
            .map_err(|e| {
                FileStoreError::S3(aws_sdk_s3::error::DisplayErrorContext(e).to_string())
            })?;
        Ok(())
    }

    pub async fn read(&self, key: &str) -> Result<Vec<u8>, FileStoreError> {
        let out = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
            .map_err(|e| {
                FileStoreError::S3(aws_sdk_s3::error::DisplayErrorContext(e).to_string())
            })?;
        let bytes = out
            .body
            .collect()
            .await
            .map_err(|e| FileStoreError::S3(e.to_string()))?;
        Ok(bytes.into_bytes().to_vec())
    }

    /// A GET link signed for `ttl`: anyone holding it can download the file until it expires.
    pub async fn presigned_get(&self, key: &str, ttl: Duration) -> Result<String, FileStoreError> {
        let config =
            PresigningConfig::expires_in(ttl).map_err(|e| FileStoreError::S3(e.to_string()))?;
        let request = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .presigned(config)
            .await
            .map_err(|e| {
                FileStoreError::S3(aws_sdk_s3::error::DisplayErrorContext(e).to_string())
            })?;
        Ok(request.uri().to_string())
    }
}
