//! Attachment bytes on disk, content-addressed: `<data_dir>/attachments/<sha[0..2]>/<sha>`.
//!
//! The only name that reaches the filesystem is the SHA-256 of the content, checked to be 64
//! hex digits, so no client input can pick a path. A file is written to a temporary name in
//! its final directory and renamed into place, so a reader never sees half a file and two
//! uploads of the same bytes (even at once) leave one complete copy.
//!
//! Bytes no attachment refers to any more are removed ([`remove_if_unreferenced`]: when an
//! attachment is deleted, and by the daily `attachments.prune` job). Storing and removing take
//! the lock of the hash's directory (`.lock` in it, an OS file lock), and an upload keeps it
//! until its row is written: a removal can never take bytes that an upload of the same content
//! found already stored and is about to point a new row at.

use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::store::new_id;

/// Hex SHA-256 of the content.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn is_sha256_hex(sha: &str) -> bool {
    sha.len() == 64
        && sha
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// Where the content with this hash lives; `None` for anything but a SHA-256 in lowercase hex.
pub fn path_of(data_dir: &Path, sha: &str) -> Option<PathBuf> {
    is_sha256_hex(sha).then(|| data_dir.join("attachments").join(&sha[..2]).join(sha))
}

/// Stores the content under its hash unless it is there already; returns the hash.
pub fn store(data_dir: &Path, bytes: &[u8]) -> std::io::Result<String> {
    let sha = sha256_hex(bytes);
    let path = path_of(data_dir, &sha).ok_or_else(|| std::io::Error::other("bad hash"))?;
    if path.exists() {
        return Ok(sha);
    }
    let dir = path
        .parent()
        .ok_or_else(|| std::io::Error::other("no directory"))?;
    std::fs::create_dir_all(dir)?;
    let temp = dir.join(format!(".{sha}.{}.tmp", new_id().simple()));
    let written = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, &path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written.map(|()| sha)
}

/// The lock of the directory holding this hash's bytes, held until the returned file is
/// dropped. Blocks: call it off the async threads.
pub fn lock_shard(data_dir: &Path, sha: &str) -> std::io::Result<std::fs::File> {
    let path = path_of(data_dir, sha).ok_or_else(|| std::io::Error::other("bad hash"))?;
    let dir = path
        .parent()
        .ok_or_else(|| std::io::Error::other("no directory"))?;
    std::fs::create_dir_all(dir)?;
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(".lock"))?;
    lock.lock()?;
    Ok(lock)
}

/// Stores the content under the lock of its directory; returns the hash and the held lock,
/// to be dropped once the attachment's row is written.
pub fn store_locked(data_dir: &Path, bytes: &[u8]) -> std::io::Result<(String, std::fs::File)> {
    let sha = sha256_hex(bytes);
    let lock = lock_shard(data_dir, &sha)?;
    store(data_dir, bytes)?;
    Ok((sha, lock))
}

/// The content with this hash.
pub fn read(data_dir: &Path, sha: &str) -> std::io::Result<Vec<u8>> {
    let path = path_of(data_dir, sha).ok_or_else(|| std::io::Error::other("bad hash"))?;
    std::fs::read(path)
}

/// Removes these bytes if no attachment row refers to them, under the lock of their
/// directory; whether they were removed.
pub async fn remove_if_unreferenced<C: sea_orm::ConnectionTrait>(
    db: &C,
    data_dir: &Path,
    sha: &str,
) -> Result<bool, crate::error::ApiError> {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

    use crate::store::entities::attachments;

    let (dir, owned) = (PathBuf::from(data_dir), sha.to_owned());
    let lock = actix_web::web::block(move || lock_shard(&dir, &owned))
        .await
        .map_err(|e| crate::error::ApiError::Internal(anyhow::anyhow!("locking attachments: {e}")))?
        .map_err(|e| {
            crate::error::ApiError::Internal(anyhow::anyhow!("locking attachments: {e}"))
        })?;
    let referenced = attachments::Entity::find()
        .filter(attachments::Column::Sha256.eq(sha))
        .count(db)
        .await?;
    let removed = referenced == 0
        && path_of(data_dir, sha).is_some_and(|path| std::fs::remove_file(path).is_ok());
    drop(lock);
    Ok(removed)
}

/// How old a temporary file must be before the prune takes it for the leftover of an upload
/// that died half-way.
const STALE_TEMP: std::time::Duration = std::time::Duration::from_secs(60 * 60);

/// Removes every stored content no attachment refers to (left by a crash between storing and
/// recording, or by a deletion that could not remove it) and stale temporary files; how many
/// files were removed.
pub async fn prune<C: sea_orm::ConnectionTrait>(
    db: &C,
    data_dir: &Path,
) -> Result<usize, crate::error::ApiError> {
    let root = data_dir.join("attachments");
    let mut blobs = Vec::new();
    let mut removed = 0;
    for shard in std::fs::read_dir(&root).into_iter().flatten().flatten() {
        for entry in std::fs::read_dir(shard.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let name = entry.file_name().to_string_lossy().into_owned();
            if is_sha256_hex(&name) {
                blobs.push(name);
            } else if name.ends_with(".tmp") {
                let stale = entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| t.elapsed().ok())
                    .is_some_and(|age| age > STALE_TEMP);
                if stale && std::fs::remove_file(entry.path()).is_ok() {
                    removed += 1;
                }
            }
        }
    }
    for sha in blobs {
        if remove_if_unreferenced(db, data_dir, &sha).await? {
            removed += 1;
        }
    }
    Ok(removed)
}

/// The display name of an upload: its last path segment, without control characters or
/// leading dots, at most 200 characters; `None` when nothing is left.
pub fn display_name(raw: &str) -> Option<String> {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last.chars().filter(|c| !c.is_control()).take(200).collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim().to_owned();
    (!cleaned.is_empty()).then_some(cleaned)
}

/// `Content-Disposition` for a download: an ASCII fallback name and the exact name as
/// RFC 8187 `filename*` (percent-encoded UTF-8), so no name can break out of the header.
pub fn content_disposition(name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_hash_becomes_a_path() {
        let dir = Path::new("/data");
        let sha = sha256_hex(b"x");
        assert_eq!(
            path_of(dir, &sha).unwrap(),
            dir.join("attachments").join(&sha[..2]).join(&sha)
        );
        assert!(path_of(dir, "../../etc/passwd").is_none());
        assert!(path_of(dir, &sha.to_uppercase()).is_none());
    }

    #[test]
    fn display_names_lose_paths_and_control_characters() {
        assert_eq!(display_name("../../etc/passwd").as_deref(), Some("passwd"));
        assert_eq!(
            display_name("C:\\x\\报价单.pdf").as_deref(),
            Some("报价单.pdf")
        );
        assert_eq!(display_name("a\r\nb.txt").as_deref(), Some("ab.txt"));
        assert_eq!(display_name(".hidden").as_deref(), Some("hidden"));
        assert_eq!(display_name("dir/"), None);
    }

    #[test]
    fn dispositions_encode_every_name() {
        assert_eq!(
            content_disposition("报价 1\".pdf"),
            "attachment; filename=\"__ 1_.pdf\"; filename*=UTF-8''%E6%8A%A5%E4%BB%B7%201%22.pdf"
        );
    }

    #[test]
    fn identical_content_is_stored_once() {
        let dir = std::env::temp_dir().join(format!("kedao-files-{}", new_id().simple()));
        let a = store(&dir, b"same bytes").unwrap();
        let b = store(&dir, b"same bytes").unwrap();
        assert_eq!(a, b);
        assert_eq!(read(&dir, &a).unwrap(), b"same bytes");
        let files = std::fs::read_dir(dir.join("attachments").join(&a[..2]))
            .unwrap()
            .count();
        assert_eq!(files, 1);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
