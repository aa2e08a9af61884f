//! The layout phase's document rules over a whole text (one chunk), compiled: what
//! `document.apply_whole` gives for read_columns_in_order, remove_page_furniture,
//! join_wrapped_lines and restore_turn_breaks, each from the engine's own parts
//! (columns, furniture, layout, paragraphs, turns). Each gives `None` where it leaves
//! the text as it was.

use crate::columns::{is_re_space, reorder};
use crate::lexicon::Lexicon;
use crate::layout::{lines_of, LayoutFeatures, LayoutTuple, LineFacts};
use crate::paragraphs::{Layout, Paragraphs};
use crate::{furniture, layout, paragraphs, tables, turns};
use std::collections::HashSet;

/// `columns._side_by_side`: text, two or more spaces (ASCII or ideographic), text.
pub(crate) fn side_by_side(text: &str) -> bool {
    // `_GAP_PAIRS`: two gap characters side by side, found by substring search first.
    if !["  ", " \u{3000}", "\u{3000} ", "\u{3000}\u{3000}"].iter().any(|pair| text.contains(pair)) {
        return false;
    }
    let mut run = 0usize; // gap characters since the last text character
    let mut text_before = false;
    for c in text.chars() {
        if c == ' ' || c == '\u{3000}' {
            run += 1;
            continue;
        }
        let is_text = !is_re_space(c);
        if is_text && text_before && run >= 2 {
            return true;
        }
        text_before = is_text;
        run = 0;
    }
    false
}

/// `columns.reorder_lines`: the way of counting positions under which the regions
/// take more of the lines wins; the lines as they were where none was found.
fn reorder_lines(held: Vec<String>, lexicon: &Lexicon) -> Vec<String> {
    if !held.iter().any(|line| side_by_side(line)) {
        return held;
    }
    let mut best: Option<((usize, usize), Vec<String>)> = None;
    for cells in [false, true] {
        if let Some((counts, out, _)) = reorder(&held, cells, lexicon) {
            if best.as_ref().is_none_or(|(b, _)| counts > *b) {
                best = Some((counts, out));
            }
        }
    }
    best.map_or(held, |(_, out)| out)
}

/// `ReadColumnsInOrder.transform` over one chunk (the lexicon reads the words across
/// a band's cuts).
pub(crate) fn read_columns_in_order(text: &str, lexicon: &Lexicon) -> Option<String> {
    if !side_by_side(text) {
        return None;
    }
    let flush = tables::COLUMNS_FLUSH_LINES as usize;
    let lookahead = tables::COLUMNS_LOOKAHEAD as usize;
    let mut out = String::with_capacity(text.len() + 64);
    let mut held: Vec<String> = Vec::new();
    let mut quiet = 0usize;
    for line in lines_of(text) {
        held.push(line.to_string());
        quiet = if side_by_side(line) { 0 } else { quiet + 1 };
        if held.len() >= flush && quiet > lookahead {
            for line in reorder_lines(std::mem::take(&mut held), lexicon) {
                out.push_str(&line);
                out.push('\n');
            }
            quiet = 0;
        }
    }
    if !held.is_empty() {
        out.push_str(&reorder_lines(held, lexicon).join("\n"));
        if text.ends_with('\n') {
            out.push('\n');
        }
    }
    (out != text).then_some(out)
}

/// `remove_page_furniture` (`RemovePageFurniture` over one chunk).
pub(crate) fn remove_page_furniture(text: &str) -> Option<String> {
    furniture::without_furniture(text, furniture::count_header_lines(text) > 0)
}

/// `restore_turn_breaks` (`RestoreTurnBreaks` over one chunk).
pub(crate) fn restore_turn_breaks(text: &str) -> Option<String> {
    if !text.contains(['：', ':']) {
        return None;
    }
    let speakers: HashSet<String> = turns::name_labels(text)
        .into_iter()
        .filter(|&(_, n)| n >= 2)
        .map(|(name, _)| name)
        .collect();
    turns::split_turns_in(text, &speakers)
}

/// The tolerances the layout's two parts read (`lines.TOL`).
#[derive(Clone, Copy)]
pub(crate) struct LayoutTols {
    pub(crate) features: layout::Tol,
    pub(crate) paragraphs: paragraphs::Tol,
}

/// The layout features of lines whose facts are known.
fn measure(tols: &LayoutTols, facts: &[LineFacts<'_>]) -> LayoutFeatures {
    let mut features = LayoutFeatures::new(tols.features);
    for line in facts {
        features.add_facts(line);
    }
    features
}

/// `iter_paragraphs` of lines (their facts) numbered from `first_line`, into `out`.
fn paragraphs_of<'a>(tols: &LayoutTols, layout: LayoutTuple, facts: impl Iterator<Item = LineFacts<'a>>,
                     first_line: i64, out: &mut Vec<String>) {
    let mut builder = Paragraphs::new(Layout::from_tuple(layout), tols.paragraphs, first_line, false);
    for line in facts {
        builder.read_facts(line);
    }
    out.extend(builder.finish());
}

/// `join_wrapped_lines` (`JoinWrappedLines` over one chunk).
pub(crate) fn join_wrapped_lines(tols: &LayoutTols, text: &str) -> Option<String> {
    // Each line's facts once: the features read them, each region's features again,
    // and the paragraphs take them.
    let facts: Vec<LineFacts> = lines_of(text).map(LineFacts::of).collect();
    let features = measure(tols, &facts);
    let starts = features.regions();
    let mut paragraphs: Vec<String> = Vec::new();
    if starts.len() <= 1 {
        paragraphs_of(tols, features.decide(), facts.into_iter(), 0, &mut paragraphs);
    } else {
        // `iter_region_paragraphs`: each region measured on its own.
        let n = facts.len();
        let mut bounds: Vec<usize> = starts[1..].iter().map(|&s| s as usize).collect();
        bounds.push(n);
        let mut lines = facts.into_iter();
        let mut first = 0usize;
        for end in bounds {
            let end = end.min(n).max(first);
            let region: Vec<LineFacts> = lines.by_ref().take(end - first).collect();
            let layout = measure(tols, &region).decide();
            paragraphs_of(tols, layout, region.into_iter(), first as i64, &mut paragraphs);
            first = end;
        }
    }
    let mut out = paragraphs.join("\n");
    if !paragraphs.is_empty() && text.ends_with('\n') {
        out.push('\n');
    }
    (out != text).then_some(out)
}
