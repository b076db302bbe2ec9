//! What an uploaded file really is, from its first bytes (magic numbers), never from the name
//! or the `Content-Type` the client declared: an attachment is served back with the type found
//! here, so a page of HTML renamed `offer.pdf` must not come back as something a browser runs.
//!
//! Only the types on the allow-list are accepted; everything else is named by what it looks
//! like, so that the refusal can say what was found.

/// A file type attachments accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    Pdf,
    Png,
    Jpeg,
    Gif,
    Webp,
    Docx,
    Xlsx,
    Pptx,
    Csv,
    Text,
}

impl FileType {
    /// The media type the file is served with.
    pub fn mime(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Png => "image/png",
            FileType::Jpeg => "image/jpeg",
            FileType::Gif => "image/gif",
            FileType::Webp => "image/webp",
            FileType::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileType::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileType::Pptx => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            FileType::Csv => "text/csv; charset=utf-8",
            FileType::Text => "text/plain; charset=utf-8",
        }
    }
}

/// The zip local-file-header signature OOXML documents start with.
const ZIP: &[u8] = b"PK\x03\x04";

/// Sniffs `bytes` (the whole file); `file_name` only tells CSV from plain text and, for a zip
/// whose parts do not say, which Office document it is. `Err` carries the media type the
/// bytes look like, for the refusal.
pub fn sniff(bytes: &[u8], file_name: &str) -> Result<FileType, &'static str> {
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    if bytes.starts_with(b"%PDF-") {
        return Ok(FileType::Pdf);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(FileType::Png);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(FileType::Jpeg);
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        return Ok(FileType::Gif);
    }
    if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        return Ok(FileType::Webp);
    }
    if bytes.starts_with(ZIP) {
        return office_document(bytes, &extension).ok_or("application/zip");
    }
    if bytes.starts_with(b"\x7fELF") {
        return Err("application/x-elf");
    }
    if bytes.starts_with(b"MZ") {
        return Err("application/x-msdownload");
    }
    text(bytes, &extension)
}

/// An OOXML document: a zip holding `[Content_Types].xml`, and the part that says which kind
/// (`word/`, `xl/`, `ppt/`), else the name's extension.
fn office_document(bytes: &[u8], extension: &str) -> Option<FileType> {
    if !contains(bytes, b"[Content_Types].xml") {
        return None;
    }
    if contains(bytes, b"word/") {
        Some(FileType::Docx)
    } else if contains(bytes, b"xl/") {
        Some(FileType::Xlsx)
    } else if contains(bytes, b"ppt/") {
        Some(FileType::Pptx)
    } else {
        match extension {
            "docx" => Some(FileType::Docx),
            "xlsx" => Some(FileType::Xlsx),
            "pptx" => Some(FileType::Pptx),
            _ => None,
        }
    }
}

/// Plain text or CSV: valid UTF-8 without NULs, and not markup (HTML, XML, SVG), which a
/// browser would interpret rather than show.
fn text(bytes: &[u8], extension: &str) -> Result<FileType, &'static str> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err("application/octet-stream");
    };
    if bytes.is_empty() || text.contains('\0') {
        return Err("application/octet-stream");
    }
    let start = text.trim_start_matches('\u{feff}').trim_start();
    if start.starts_with('<') {
        let lower = start
            .get(..start.len().min(64))
            .unwrap_or("")
            .to_lowercase();
        return Err(if lower.starts_with("<?xml") {
            "application/xml"
        } else if lower.starts_with("<svg") {
            "image/svg+xml"
        } else {
            "text/html"
        });
    }
    Ok(if extension == "csv" {
        FileType::Csv
    } else {
        FileType::Text
    })
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowed_types_are_known_by_their_bytes() {
        assert_eq!(sniff(b"%PDF-1.7\n...", "a.pdf"), Ok(FileType::Pdf));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n....", "a"), Ok(FileType::Png));
        assert_eq!(
            sniff(&[0xFF, 0xD8, 0xFF, 0xE0], "x.png"),
            Ok(FileType::Jpeg)
        );
        assert_eq!(sniff(b"GIF89a..", "a.gif"), Ok(FileType::Gif));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 ", "a"), Ok(FileType::Webp));
        let docx = b"PK\x03\x04....[Content_Types].xml....word/document.xml";
        assert_eq!(sniff(docx, "report.bin"), Ok(FileType::Docx));
        let bare = b"PK\x03\x04....[Content_Types].xml";
        assert_eq!(sniff(bare, "budget.xlsx"), Ok(FileType::Xlsx));
        assert_eq!(
            sniff("名称,数量\n螺栓,3\n".as_bytes(), "a.CSV"),
            Ok(FileType::Csv)
        );
        assert_eq!(sniff(b"hello", "notes.txt"), Ok(FileType::Text));
    }

    #[test]
    fn everything_else_is_named_by_what_it_looks_like() {
        assert_eq!(
            sniff(b"\x7fELF\x02\x01", "offer.pdf"),
            Err("application/x-elf")
        );
        assert_eq!(
            sniff(b"MZ\x90\0", "setup.pdf"),
            Err("application/x-msdownload")
        );
        assert_eq!(
            sniff(b"  <!DOCTYPE html><script>x</script>", "offer.pdf"),
            Err("text/html")
        );
        assert_eq!(sniff(b"<svg onload=x>", "a.png"), Err("image/svg+xml"));
        assert_eq!(
            sniff(b"PK\x03\x04plain zip", "a.docx"),
            Err("application/zip")
        );
        assert_eq!(sniff(b"a\0b", "a.txt"), Err("application/octet-stream"));
        assert_eq!(
            sniff(&[0xC3, 0x28], "a.txt"),
            Err("application/octet-stream")
        );
        assert_eq!(sniff(b"", "a.txt"), Err("application/octet-stream"));
    }
}
