//! CSV answers for spreadsheets: UTF-8 with a byte-order mark (without it Excel reads Chinese
//! as mojibake), CRLF line ends, RFC 4180 quoting, and text cells that a spreadsheet would
//! run as a formula defused.

use actix_web::HttpResponse;
use actix_web::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};

/// The content type of every CSV answer.
pub const CONTENT_TYPE_CSV: &str = "text/csv; charset=utf-8";

/// One cell of a row.
pub enum Cell {
    /// Written as is (ids, codes, dates, amounts): never starts a formula.
    Plain(String),
    /// Text someone typed (a name): a leading `=`, `+`, `-`, `@`, tab or carriage return would
    /// make a spreadsheet run it as a formula, so such a cell starts with `'`.
    Text(String),
}

/// The cell's field as written in the file.
fn field(cell: &Cell) -> String {
    let value = match cell {
        Cell::Plain(v) => v.clone(),
        Cell::Text(v) if v.starts_with(['=', '+', '-', '@', '\t', '\r']) => format!("'{v}"),
        Cell::Text(v) => v.clone(),
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// The file: the header, then each row.
pub fn body(header: &[&str], rows: &[Vec<Cell>]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for row in rows {
        let fields: Vec<String> = row.iter().map(field).collect();
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}

/// A download named `filename` (ASCII letters, digits, dashes and dots only: it is the
/// caller's, never a client's).
pub fn download(filename: &str, header: &[&str], rows: &[Vec<Cell>]) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, CONTENT_TYPE_CSV))
        .insert_header((
            CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .body(body(header, rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        let rows = vec![vec![
            Cell::Plain("-10.00".into()),
            Cell::Text("=HYPERLINK(\"x\")".into()),
            Cell::Text("甲, 乙".into()),
            Cell::Text("-1".into()),
            Cell::Text("a\nb".into()),
            Cell::Text("plain".into()),
        ]];
        assert_eq!(
            body(&["a", "b", "c", "d", "e", "f"], &rows),
            "\u{feff}a,b,c,d,e,f\r\n-10.00,\"'=HYPERLINK(\"\"x\"\")\",\"甲, 乙\",'-1,\"a\nb\",plain\r\n"
        );
    }
}
