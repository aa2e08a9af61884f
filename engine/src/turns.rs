//! `restore_turn_breaks`, compiled: the speaker count (`_SpeakerCounter`) and the
//! split (`lines.split_turns_reference`: `_split_turns`, then `_split_answers`).
//!
//! The Python patterns decide with lookarounds; here each is a scan that asks what
//! the pattern asks. Of a label only whether it can end (at its colon) somewhere
//! matters, so every way the pattern could read one is tried, in no set order.

use crate::layout::{is_han, is_hspace, label_name, lines_of, py_strip};
use crate::tables;
use pyo3::prelude::*;
use pyo3::types::PyString;
use std::collections::{HashMap, HashSet};

/// `lines._LABEL_CHAR`: `[\p{Han}A-Za-z0-9·]`.
fn is_label_char(c: char) -> bool {
    is_han(c) || c.is_ascii_alphanumeric() || c == '·'
}

fn is_name_char(c: char) -> bool {
    is_han(c) || c == '·'
}

fn is_colon(c: char) -> bool {
    c == ':' || c == '：'
}

fn starts_with(s: &[char], at: usize, word: &str) -> bool {
    word.chars().enumerate().all(|(k, c)| s.get(at + k) == Some(&c))
}

/// `{_HSPACE}*[:：]` at `i`: the position after the colon.
fn colon_after(s: &[char], mut i: usize) -> Option<usize> {
    while i < s.len() && is_hspace(s[i]) {
        i += 1;
    }
    (i < s.len() && is_colon(s[i])).then_some(i + 1)
}

/// `lines._BOOK_TITLE` at `i` (on a 《): the position after its 》.
fn book_title(s: &[char], i: usize) -> Option<usize> {
    // The inside holds no 》, so the first 》 closes it; and no line break.
    let inside = s[i + 1..]
        .iter()
        .take(tables::BOOK_TITLE_CHARS + 1)
        .position(|&c| c == '》' || c == '\n')?;
    (inside >= 1 && s[i + 1 + inside] == '》').then_some(i + inside + 2)
}

/// Each end (after the colon) of `_REPORTER_LABEL{_HSPACE}*[:：]` at `p`, in order,
/// until `accept` takes one: whether it did. The units (a book title or a label
/// character) read one way only; the label may end after any of the first
/// LABEL_UNITS of them.
fn reporter_label(s: &[char], p: usize, mut accept: impl FnMut(usize) -> bool) -> bool {
    let mut i = p;
    for _ in 0..tables::LABEL_UNITS {
        match s.get(i) {
            Some('《') => match book_title(s, i) {
                Some(end) => i = end,
                None => return false,
            },
            Some(&c) if is_label_char(c) => i += 1,
            _ => return false,
        }
        if starts_with(s, i, "记者") && !tables::is_not_before_reporter(s[i - 1]) {
            if let Some(end) = colon_after(s, i + 2) {
                if accept(end) {
                    return true;
                }
            }
        }
    }
    false
}

/// `turn_label_pattern(speakers)` followed by `(?![“"])`, at `p`.
fn turn_label_at(s: &[char], p: usize, speakers: &[Vec<char>]) -> bool {
    let unquoted = |end: usize| !matches!(s.get(end), Some('“' | '"'));
    if reporter_label(s, p, unquoted) {
        return true;
    }
    let word_label = |len: usize| colon_after(s, p + len).is_some_and(unquoted);
    tables::GENERIC_LABELS
        .iter()
        .any(|label| starts_with(s, p, label) && word_label(label.chars().count()))
        || speakers
            .iter()
            .any(|name| s[p..].starts_with(name) && word_label(name.len()))
}

/// The closers from `from` on, then the spaces: where each run ends. Both patterns
/// read them greedily, and giving any back would put the label on a closer or a
/// space, where no label starts.
fn closers_and_spaces(s: &[char], from: usize) -> (usize, usize) {
    let closed = from + s[from..].iter().take_while(|&&c| tables::is_closer(c)).count();
    (closed, closed + s[closed..].iter().take_while(|&&c| is_hspace(c)).count())
}

/// `_split_turns`: a line break between a sentence end (and its closers) and a turn
/// label, in place of the spaces there.
fn split_at_labels(s: &[char], speakers: &[Vec<char>], out: &mut Vec<char>) {
    let mut i = 0;
    while i < s.len() {
        if tables::is_turn_sentence_end(s[i]) {
            let (closed, label) = closers_and_spaces(s, i + 1);
            let before = s[label - 1];
            let runs_on = is_label_char(before) || before == '》';
            if !runs_on && turn_label_at(s, label, speakers) {
                out.extend_from_slice(&s[i..closed]);
                out.push('\n');
                i = label;
                continue;
            }
        }
        out.push(s[i]);
        i += 1;
    }
}

/// `_ANSWER_AFTER_QUESTION`'s question mark after the label's colon at `from`: the
/// first `[？?]` whose closers and spaces are followed by a name label of 2 to 4
/// characters; the positions after its closers and after its spaces.
fn answer_after(s: &[char], from: usize) -> Option<(usize, usize)> {
    (from..s.len()).filter(|&j| tables::is_question_mark(s[j])).find_map(|j| {
        let (closed, name) = closers_and_spaces(s, j + 1);
        let run = s[name..].iter().take_while(|&&c| is_name_char(c)).count();
        ((2..=4).contains(&run) && colon_after(s, name + run).is_some()).then_some((closed, name))
    })
}

/// `_split_answers` on one line: a question turn (opened by `XX记者：` or `问：`)
/// broken before the answer's name label after its question mark.
fn split_answer(line: &[char], out: &mut Vec<char>) {
    // The pattern tries the reporter label first, its shortest reading first; any
    // question mark after a longer reading is after the shortest one too.
    let mut first_end = None;
    reporter_label(line, 0, |end| {
        first_end = Some(end);
        true
    });
    let found = first_end.and_then(|end| answer_after(line, end)).or_else(|| {
        starts_with(line, 0, "问")
            .then(|| colon_after(line, 1))
            .flatten()
            .and_then(|end| answer_after(line, end))
    });
    match found {
        Some((closed, name)) => {
            out.extend_from_slice(&line[..closed]);
            out.push('\n');
            out.extend_from_slice(&line[name..]);
        }
        None => out.extend_from_slice(line),
    }
}

/// `lines.split_turns_reference(text, speakers)`.
#[pyfunction]
pub fn split_turns<'py>(
    text: &Bound<'py, PyString>,
    speakers: HashSet<String>,
) -> PyResult<Bound<'py, PyString>> {
    let py = text.py();
    let whole = crate::Text::of(text)?;
    let whole: &str = &whole;
    Ok(match py.allow_threads(|| split_turns_in(whole, &speakers)) {
        Some(out) => PyString::new(py, &out),
        None => text.clone(), // unchanged: the same string back
    })
}

/// `split_turns`: None where the text stays as it is.
///
/// Line by line: a label ends at its colon, and neither split reads across a line
/// break (spaces, closers, label characters and book titles stop at one), so a line
/// without a colon stays as it is.
pub(crate) fn split_turns_in(whole: &str, speakers: &HashSet<String>) -> Option<String> {
    let names: Vec<Vec<char>> = speakers.iter().map(|name| name.chars().collect()).collect();
    crate::inline::by_line(whole, |line, out| {
        if !line.contains(['：', ':']) {
            out.push_str(line);
            return;
        }
        let s: Vec<char> = line.chars().collect();
        let mut split = Vec::with_capacity(s.len() + 4);
        split_at_labels(&s, &names, &mut split);
        if !split.iter().any(|&c| tables::is_question_mark(c)) {
            out.extend(split);
            return;
        }
        let mut answered = Vec::with_capacity(split.len() + 4);
        for (k, part) in split.split(|&c| c == '\n').enumerate() {
            if k > 0 {
                answered.push('\n');
            }
            split_answer(part, &mut answered);
        }
        out.extend(answered);
    })
}

/// `_SpeakerCounter.add` on a chunk: each name that opens a line with `NAME：`, and
/// how many lines it opens.
#[pyfunction]
pub fn count_name_labels(py: Python<'_>, chunk: crate::Text) -> HashMap<String, i64> {
    py.allow_threads(|| name_labels(&chunk))
}

pub(crate) fn name_labels(chunk: &str) -> HashMap<String, i64> {
    let mut names: HashMap<String, i64> = HashMap::new();
    for line in lines_of(chunk) {
        if let Some(name) = label_name(py_strip(line)) {
            *names.entry(name.to_string()).or_insert(0) += 1;
        }
    }
    names
}
