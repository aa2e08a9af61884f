//! Page furniture: `textclean.rules.page`'s header lines and their removal, compiled.
//!
//! `header_lines` is `_FurnitureEvidence.add` (how many lines of a chunk are header
//! lines); `remove_furniture` is `RemovePageFurniture.transform` for one chunk. The
//! patterns are the Python ones, generated into `tables.rs`.

use crate::tables;
use pyo3::prelude::*;
use std::sync::OnceLock;

pattern!(
    /// `_ITEM.match(text, pos)`: anchored at the slice's start.
    item, format!("^(?:{})", tables::FURNITURE_ITEM)
);
pattern!(gap, format!("^(?:{})", tables::FURNITURE_GAP));
pattern!(
    /// `_PAPER.fullmatch`.
    paper_line, format!("^(?:{})$", tables::FURNITURE_PAPER)
);
pattern!(
    /// `cd.PAGE_NUMBER_LINE.fullmatch`.
    page_number_line, format!("^(?:{})$", tables::PAGE_NUMBER_LINE)
);
pattern!(glued, tables::FURNITURE_GLUED);

fn kinds() -> &'static Vec<&'static str> {
    static KINDS: OnceLock<Vec<&'static str>> = OnceLock::new();
    KINDS.get_or_init(|| tables::FURNITURE_KINDS.split(',').collect())
}

fn strip_hspace(line: &str) -> &str {
    line.trim_matches(tables::is_hspace)
}

/// `page.furniture_kinds`: the kinds a line is made of (bit k for the k-th kind of
/// `FURNITURE_ITEMS`), or None if it holds anything else.
fn furniture_kinds(line: &str) -> Option<u32> {
    let text = strip_hspace(line);
    if text.is_empty() {
        return None;
    }
    let mut found = 0u32;
    let mut pos = gap().find(text).map_or(0, |m| m.end());
    while pos < text.len() {
        let caps = item().captures(&text[pos..])?;
        let whole = caps.get(0).expect("group 0");
        if whole.end() == 0 {
            return None;
        }
        let kind = kinds()
            .iter()
            .position(|k| caps.name(k).is_some())
            .expect("each alternative is a named kind");
        found |= 1 << kind;
        let end = pos + whole.end();
        pos = end + gap().find(&text[end..]).map_or(0, |m| m.end());
    }
    Some(found)
}

fn bit(kind: &str) -> u32 {
    1 << kinds().iter().position(|k| *k == kind).expect("a furniture kind")
}

/// `page.is_header_line`.
fn is_header_line(line: &str) -> bool {
    let Some(found) = furniture_kinds(line) else {
        return false;
    };
    let marking: u32 = tables::FURNITURE_MARKING.split(',').map(bit).sum();
    (found & marking).count_ones() >= 2 || found & bit("page") != 0
}

/// `_FurnitureEvidence.add`: how many of a chunk's lines are header lines.
#[pyfunction]
pub fn header_lines(py: Python<'_>, chunk: crate::Text) -> usize {
    py.allow_threads(|| count_header_lines(&chunk))
}

pub(crate) fn count_header_lines(chunk: &str) -> usize {
    if !chunk.contains(['年', '版', '页']) {
        return 0;
    }
    chunk.split('\n').filter(|line| is_header_line(line)).count()
}

/// `page._clean_line`.
fn clean_line(line: &str, headers: bool) -> std::borrow::Cow<'_, str> {
    if headers {
        if is_header_line(line) {
            return "".into();
        }
        let text = strip_hspace(line);
        if page_number_line().is_match(text) || paper_line().is_match(text) {
            return "".into();
        }
    }
    glued().replace_all(line, "")
}

/// `RemovePageFurniture.transform` for one chunk: ``headers`` says that the document
/// has header lines.
#[pyfunction]
pub fn remove_furniture(py: Python<'_>, chunk: crate::Text, headers: bool) -> String {
    py.allow_threads(|| without_furniture(&chunk, headers).unwrap_or_else(|| chunk.to_string()))
}

/// `remove_furniture`: None where the chunk stays as it is.
pub(crate) fn without_furniture(chunk: &str, headers: bool) -> Option<String> {
    if !headers && !glued().is_match(chunk) {
        return None;
    }
    let lines: Vec<_> = chunk.split('\n').map(|line| clean_line(line, headers)).collect();
    let out = lines.join("\n");
    (out != chunk).then_some(out)
}
