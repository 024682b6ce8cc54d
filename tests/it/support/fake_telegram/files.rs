//! Files: what the fake stores for each `file_id`, uploads, and the ids and MIME types Telegram gives.

use super::*;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum FileKind {
    Photo,
    Document,
}

pub(super) struct StoredFile {
    pub(super) kind: FileKind,
    pub(super) unique_id: String,
    pub(super) file_name: Option<String>,
    pub(super) mime_type: Option<String>,
    pub(super) size: u64,
    pub(super) content: Option<Vec<u8>>,
    pub(super) path: String,
}

impl StoredFile {
    pub(super) fn json(&self, file_id: &str) -> Value {
        let mut file =
            json!({ "file_id": file_id, "file_unique_id": self.unique_id, "file_size": self.size });
        match self.kind {
            FileKind::Photo => {
                file["width"] = json!(800);
                file["height"] = json!(600);
            }
            FileKind::Document => {
                if let Some(name) = &self.file_name {
                    file["file_name"] = json!(name);
                }
                if let Some(mime) = &self.mime_type {
                    file["mime_type"] = json!(mime);
                }
            }
        }
        file
    }
}

/// A file part of a multipart request, already attributed to the parameter that refers to it.
pub(super) struct Upload {
    pub(super) field: String,
    pub(super) file_name: String,
    pub(super) bytes: Vec<u8>,
}

impl FakeTelegram {
    /// The size of a file registered with `register_file`, if any.
    pub fn registered_size(&self, file_id: &str) -> Option<u64> {
        self.state()
            .files
            .get(file_id)
            .and_then(|f| f.content.as_ref())
            .map(|c| c.len() as u64)
    }

    /// Makes `file_id` a known document with this content, as if a user had once sent it.
    pub fn register_file(&self, file_id: &str, file_name: &str, content: &[u8]) {
        let mut state = self.state();
        let stored = state.new_file(
            FileKind::Document,
            Some(file_name.to_owned()),
            content.len() as u64,
        );
        state.files.insert(
            file_id.to_owned(),
            StoredFile {
                content: Some(content.to_vec()),
                ..stored
            },
        );
    }
}

impl TgState {
    pub(super) fn new_file(
        &mut self,
        kind: FileKind,
        file_name: Option<String>,
        size: u64,
    ) -> StoredFile {
        self.last_file_no += 1;
        let n = self.last_file_no;
        let path = match kind {
            FileKind::Photo => format!("photos/file_{n}.jpg"),
            FileKind::Document => format!("documents/file_{n}"),
        };
        StoredFile {
            kind,
            unique_id: format!("AQADfake{n}"),
            file_name,
            mime_type: None,
            size,
            content: None,
            path,
        }
    }

    /// The file a `photo`/`document` parameter names: a new upload, a URL, or a known file id.
    pub(super) fn input_file(
        &mut self,
        p: &Map<String, Value>,
        uploads: &[Upload],
        field: &str,
        kind: FileKind,
    ) -> Result<Value, ApiError> {
        if let Some(upload) = uploads.iter().find(|upload| upload.field == field) {
            let name = Some(upload.file_name.clone()).filter(|name| !name.is_empty());
            let name = name.or_else(|| (kind == FileKind::Document).then(|| "document".to_owned()));
            let mime = name.as_deref().map(mime_for).map(str::to_owned);
            let stored = self.new_file(kind, name, upload.bytes.len() as u64);
            let stored = StoredFile {
                mime_type: mime,
                content: Some(upload.bytes.clone()),
                ..stored
            };
            let file_id = format!("{}fake-upload-{}", kind_prefix(kind), self.last_file_no);
            let json = stored.json(&file_id);
            self.files.insert(file_id, stored);
            return Ok(json);
        }
        let value = p.get(field).and_then(Value::as_str).unwrap_or_default();
        if value.is_empty() || value.starts_with("attach://") {
            return Err(bad_request(&format!("there is no {field} in the request")));
        }
        if value.starts_with("http://") || value.starts_with("https://") {
            let stored = self.new_file(kind, None, 1024);
            let file_id = format!("{}fake-url-{}", kind_prefix(kind), self.last_file_no);
            let json = stored.json(&file_id);
            self.files.insert(file_id, stored);
            return Ok(json);
        }
        match self.files.get(value) {
            Some(file) if file.kind == kind => Ok(file.json(value)),
            Some(_) => Err(bad_request("type of file mismatch")),
            None => Err(bad_request("wrong file identifier/HTTP URL specified")),
        }
    }
}

pub(super) fn kind_prefix(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Photo => "AgACAgIAAxkBAAI",
        FileKind::Document => "BQACAgIAAxkBAAI",
    }
}

pub(super) fn mime_for(file_name: &str) -> &'static str {
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "txt" => "text/plain",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "epub" => "application/epub+zip",
        "mp3" => "audio/mpeg",
        "mp4" => "video/mp4",
        _ => "application/octet-stream",
    }
}
