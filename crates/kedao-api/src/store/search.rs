//! Free-text search (`q`): a case-insensitive substring match over a list's text columns.
//! Substring matching (not word tokens) is what makes Chinese text searchable: `恒达` finds
//! `苏州恒达机械有限公司` without a word segmenter.

use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{ColumnTrait, Condition};

use crate::error::ApiError;

/// Longest accepted search text, in characters.
pub const MAX_QUERY_CHARS: usize = 100;

/// The condition for `q` over `columns`; `None` when `q` is absent or blank.
pub fn text_filter<C: ColumnTrait>(
    q: Option<&str>,
    columns: &[C],
) -> Result<Option<Condition>, ApiError> {
    let Some(q) = q.map(str::trim).filter(|q| !q.is_empty()) else {
        return Ok(None);
    };
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(ApiError::field(
            "q",
            "too-long",
            format!("search text is at most {MAX_QUERY_CHARS} characters"),
        ));
    }
    let pattern = format!("%{}%", escape_like(&q.to_lowercase()));
    let mut any = Condition::any();
    for column in columns {
        let lowered = Expr::expr(Func::lower(Expr::col(*column)));
        any = any.add(lowered.like(LikeExpr::new(pattern.clone()).escape('\\')));
    }
    Ok(Some(any))
}

/// Escapes LIKE wildcards so `50%` searches for a literal percent sign.
fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape_like;

    #[test]
    fn wildcards_are_literal() {
        assert_eq!(escape_like("50%_a\\b"), "50\\%\\_a\\\\b");
        assert_eq!(escape_like("恒达"), "恒达");
    }
}
