//! Characters-phase rules, compiled: `characters.remove_invisible_chars` and
//! `characters.normalize_line_breaks` (their `_reference` twins are the
//! specification; `tests/test_engine.py` holds the two equal). A text they leave
//! as it was comes back as the same string object.

use crate::tables;

class!(pub(crate) is_invisible, tables::INVISIBLE);

/// `characters.remove_invisible_chars`.
pub(crate) fn remove_invisible_chars(whole: &str) -> Option<String> {
    if !whole.chars().any(is_invisible) {
        return None;
    }
    Some(whole.chars().filter(|&c| !is_invisible(c)).collect())
}

/// `characters.normalize_line_breaks`: `\r\n`, `\r`, U+2028, U+2029 and a vertical
/// tab to `\n`, a form feed to `\n\n`.
pub(crate) fn normalize_line_breaks(whole: &str) -> Option<String> {
    let is_break = |c: char| matches!(c, '\r' | '\u{2028}' | '\u{2029}' | '\u{0b}' | '\u{0c}');
    if !whole.contains(is_break) {
        return None;
    }
    let mut out = String::with_capacity(whole.len() + 16);
    let mut chars = whole.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push('\n');
            }
            '\u{2028}' | '\u{2029}' | '\u{0b}' => out.push('\n'),
            '\u{0c}' => out.push_str("\n\n"),
            _ => out.push(c),
        }
    }
    Some(out)
}
