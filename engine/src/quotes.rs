//! The quote rules, compiled: `punctuation.turn_ocr_quotes` and
//! `punctuation.pair_straight_quotes` (their `_reference` twins are the
//! specification; `tests/test_engine.py` holds the two equal).

use crate::columns::is_re_space;
use crate::inline::{by_line, is_letter_number};
use crate::layout::{is_han, is_hspace, is_strong};
use crate::tables;

/// A kind of quote: `punctuation._DOUBLE` or `_SINGLE` (the straight mark, the
/// opening one, the closing one).
#[derive(Clone, Copy)]
struct Kind {
    straight: char,
    opening: char,
    closing: char,
}

const DOUBLE: Kind = Kind { straight: '"', opening: '\u{201c}', closing: '\u{201d}' };
const SINGLE: Kind = Kind { straight: '\'', opening: '\u{2018}', closing: '\u{2019}' };

impl Kind {
    fn is_mark(self, c: char) -> bool {
        c == self.straight || c == self.opening || c == self.closing
    }
}

/// `punctuation._is_apostrophe`.
fn is_apostrophe(s: &[char], i: usize) -> bool {
    0 < i
        && i + 1 < s.len()
        && is_letter_number(s[i - 1])
        && is_letter_number(s[i + 1])
        && !(is_han(s[i - 1]) && is_han(s[i + 1]))
}

/// `punctuation._quote_changes`: where the quotes of `kind` open and close, or None
/// where that is not certain.
fn quote_changes(s: &[char], kind: Kind, may_stay_open: bool, curly_known: bool) -> Option<Vec<(usize, char)>> {
    let mut inside = false;
    let mut opened_at_start = false;
    let mut changes = Vec::new();
    let lead = s.iter().take_while(|&&c| is_hspace(c)).count();
    for (i, &q) in s.iter().enumerate() {
        if !kind.is_mark(q) || (kind.straight == '\'' && is_apostrophe(s, i)) {
            continue;
        }
        if curly_known && (q == kind.opening || q == kind.closing) {
            inside = q == kind.opening;
            continue;
        }
        if !inside {
            let right = s[i + 1..].iter().find(|&&c| !is_hspace(c));
            if right.is_none_or(|&c| tables::is_nothing_to_open(c)) {
                return None;
            }
            changes.push((i, kind.opening));
            inside = true;
            opened_at_start = i == lead;
        } else {
            let left = s[..i].iter().rev().find(|&&c| !is_hspace(c));
            if left.is_none_or(|&c| tables::is_nothing_to_close(c)) {
                return None;
            }
            changes.push((i, kind.closing));
            inside = false;
        }
    }
    let left_open = changes.last().is_some_and(|&(_, q)| q == kind.opening);
    if inside && left_open && !(may_stay_open && opened_at_start) {
        return None;
    }
    Some(changes)
}

/// The ends of `_SENTENCE_GAP`'s matches: a run of sentence ends, before a character
/// that is no quote, closer or space (the run gives back its last end where only
/// that one stands before such a character).
fn sentence_gap_ends(s: &[char]) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut p = 0;
    while p < s.len() {
        if !tables::is_gap_end(s[p]) {
            p += 1;
            continue;
        }
        let run = s[p..].iter().take_while(|&&c| tables::is_gap_end(c)).count();
        let next_ok = |at: usize| at < s.len() && !tables::is_gap_not_before(s[at]) && !is_re_space(s[at]);
        match (1..=run).rev().find(|&len| next_ok(p + len)) {
            Some(len) => {
                ends.push(p + len);
                p += len;
            }
            None => p += 1,
        }
    }
    ends
}

/// `punctuation._pair_quotes_in_line`, on a line's characters in place.
fn pair_quotes_in_line(s: &mut [char], kind: Kind, curly_known: bool) {
    if (curly_known && !s.contains(&kind.straight)) || !s.iter().any(|&c| is_strong(c)) {
        return;
    }
    let changes = quote_changes(s, kind, curly_known, curly_known).unwrap_or_else(|| {
        // Each sentence whose quotes pair on their own.
        let mut changes = Vec::new();
        let mut start = 0;
        let mut ends = sentence_gap_ends(s);
        ends.push(s.len());
        for end in ends {
            let piece = &s[start..end];
            if piece.contains(&kind.straight) || (!curly_known && piece.iter().any(|&c| kind.is_mark(c))) {
                if let Some(found) = quote_changes(piece, kind, false, curly_known) {
                    changes.extend(found.into_iter().map(|(i, q)| (start + i, q)));
                }
            }
            start = end;
        }
        changes
    });
    for (i, q) in changes {
        s[i] = q;
    }
}

/// `punctuation._faces_wrong_way`: a closing double quote where none is open.
fn faces_wrong_way(s: &[char]) -> bool {
    let mut depth = 0usize;
    for &c in s {
        if c == DOUBLE.opening {
            depth += 1;
        } else if c == DOUBLE.closing {
            if depth == 0 {
                return true;
            }
            depth -= 1;
        }
    }
    false
}

/// A line-local quote rule over a text: `fix` changes a line's characters in place.
fn by_quote_line(text: &str, wanted: fn(&str) -> bool, fix: fn(&mut [char])) -> Option<String> {
    by_line(text, move |line, out| {
        if !wanted(line) {
            out.push_str(line);
            return;
        }
        let mut s: Vec<char> = line.chars().collect();
        fix(&mut s);
        out.extend(s);
    })
}

/// `punctuation.turn_ocr_quotes`.
pub(crate) fn turn_ocr_quotes(text: &str) -> Option<String> {
    by_quote_line(
        text,
        |line| line.contains(DOUBLE.closing),
        |s| {
            if faces_wrong_way(s) {
                pair_quotes_in_line(s, DOUBLE, false);
            }
        },
    )
}

/// `punctuation.pair_straight_quotes`.
pub(crate) fn pair_straight_quotes(text: &str) -> Option<String> {
    by_quote_line(
        text,
        |line| line.contains(['"', '\'']),
        |s| {
            pair_quotes_in_line(s, DOUBLE, true);
            pair_quotes_in_line(s, SINGLE, true);
        },
    )
}
