//! The context repairs, compiled: `textclean.rules.context`'s rejoin_split_words,
//! restore_yi_in_words and repair_lookalikes, deciding with the engine's own
//! `Lexicon` and `TrigramModel` (`tests/test_engine.py` holds each equal to its
//! Python reference).
//!
//! Positions are counted in characters, as Python counts them; every score is the
//! Python float, computed by the same operations in the same order, so that a margin
//! is crossed here exactly where it is crossed there.

use crate::layout::{is_han, is_hspace, is_py_space, is_standalone_line};
use crate::lexicon::Lexicon;
use crate::lm::TrigramModel;
use crate::sites::{sites_in, SiteTable};
use crate::Text;
use pyo3::prelude::*;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

/// Decisions kept for the windows seen again (newspaper text repeats its phrases, and
/// the phase runner passes over a paragraph more than once), as Python's
/// ``lru_cache`` keeps them; emptied when full. A decision does not depend on it.
struct Memo<K, V> {
    map: Mutex<HashMap<K, V>>,
    size: usize,
}

impl<K: Hash + Eq, V: Copy> Memo<K, V> {
    fn new(size: usize) -> Self {
        Memo { map: Mutex::new(HashMap::new()), size }
    }

    fn get_or(&self, key: K, decide: impl FnOnce() -> V) -> V {
        if let Some(&v) = self.map.lock().expect("a memo").get(&key) {
            return v;
        }
        let v = decide();
        let mut map = self.map.lock().expect("a memo");
        if map.len() >= self.size {
            map.clear();
        }
        map.insert(key, v);
        v
    }
}

/// The constants of `textclean.rules.context` and `textclean.lm`, handed over by
/// Python (`context._compiled_rules`): the engine keeps no copy of its own.
#[pyclass(frozen, module = "textclean._engine")]
pub struct ContextRules {
    lexicon: Py<Lexicon>,
    model: Py<TrigramModel>,
    /// `cd.lookalike_pairs()`: each damaged character's repairs, in order.
    pairs: crate::QuickMap<char, Vec<char>>,
    sites: SiteTable,
    dashes: Vec<char>,
    context: usize,
    lookalike_margin: f64,
    yi_margin: f64,
    split_margin: f64,
    /// `lm.SCALE` and `lm.LN10`: a reading's score in natural log is
    /// `score / scale * ln10`.
    scale: f64,
    ln10: f64,
    lookalikes: Memo<(Vec<char>, usize), Option<char>>,
    splits: Memo<(String, String), bool>,
}

/// `Segmentation.word_at`: the (start, end) of the word holding character `index`.
fn word_at(ends: &[usize], index: usize) -> (usize, usize) {
    let mut start = 0;
    for &end in ends {
        if index < end {
            return (start, end);
        }
        start = end;
    }
    (start, start) // past the end: Python raises; no caller asks
}

fn rstrip(text: &str) -> &str {
    text.trim_end_matches(is_py_space)
}

fn lstrip(text: &str) -> &str {
    text.trim_start_matches(is_py_space)
}

/// Up to `n` Han characters, read from `chars` and skipping the runs of spaces
/// between them (`_HAN_START`, or `_HAN_END_REVERSED` on the reversed text): the
/// characters in the order read.
fn han_run(mut chars: impl Iterator<Item = char>, n: usize, spaces_first: bool) -> Vec<char> {
    let mut out = Vec::new();
    if !spaces_first {
        match chars.next() {
            Some(c) if is_han(c) => out.push(c),
            _ => return out,
        }
    }
    for c in chars {
        if out.len() == n {
            break;
        }
        if is_han(c) {
            out.push(c);
        } else if !is_hspace(c) {
            break;
        }
    }
    out
}

impl ContextRules {
    /// The lexicon the rules read (the columns' band cuts read it too).
    pub(crate) fn lexicon(&self) -> &Lexicon {
        self.lexicon.get()
    }

    fn score(&self, raw: i64) -> f64 {
        raw as f64 / self.scale * self.ln10
    }

    fn read(&self, text: &str) -> f64 {
        self.score(self.model.get().best(text).1)
    }

    /// `context._splits_word`.
    fn splits_word_han(&self, a: &str, b: &str) -> bool {
        self.splits.get_or((a.to_string(), b.to_string()), || self.decide_split(a, b))
    }

    fn decide_split(&self, a: &str, b: &str) -> bool {
        let lexicon = self.lexicon.get();
        let joined = format!("{a}{b}");
        let len_a = a.chars().count();
        let one = lexicon.segmentation(&joined);
        if word_at(&one.1, len_a - 1).1 <= len_a {
            return false;
        }
        let (left, right) = (lexicon.segmentation(a), lexicon.segmentation(b));
        let a_start = word_at(&left.1, len_a - 1).0;
        let b_end = word_at(&right.1, 0).1;
        if a_start + 1 < len_a && b_end > 1 {
            return false;
        }
        if one.0 - left.0 - right.0 >= self.split_margin {
            return true;
        }
        self.read(&joined) - self.read(a) - self.read(b) >= self.split_margin
    }

    /// `context._rejoins` (the Python function strips the two sides first).
    fn rejoins(&self, left: &str, right: &str) -> bool {
        let (left, right) = (rstrip(left), lstrip(right));
        let (Some(last), Some(first)) = (left.chars().next_back(), right.chars().next()) else {
            return false;
        };
        if !is_han(last) || !is_han(first) || is_standalone_line(left) || is_standalone_line(right) {
            return false;
        }
        self.splits_across(left, right)
    }

    /// `context.splits_word`: the Han characters that end `left` and open `right`
    /// (`_HAN_END_REVERSED`, `_HAN_START`), read as one piece or two.
    fn splits_across(&self, left: &str, right: &str) -> bool {
        let mut tail = han_run(left.chars().rev(), self.context, true);
        tail.reverse();
        let tail: String = tail.into_iter().collect();
        let head: String = han_run(right.chars(), self.context, false).into_iter().collect();
        !tail.is_empty() && !head.is_empty() && self.splits_word_han(&tail, &head)
    }

    /// `context._window`: the Han run around `s[i]` (at most `context` characters on
    /// each side, the left side seen with `repairs`), and where `s[i]` is in it.
    fn window(&self, s: &[char], i: usize, repairs: &[(usize, char)]) -> (Vec<char>, usize) {
        let start = i.saturating_sub(self.context);
        let mut left: Vec<char> = s[start..i].to_vec();
        for &(k, c) in repairs.iter().rev() {
            if k < start {
                break;
            }
            left[k - start] = c;
        }
        let keep = left.iter().rev().take_while(|&&c| is_han(c)).count();
        let left = left.split_off(left.len() - keep);
        let end = s.len().min(i + 1 + self.context);
        let right = s[i + 1..end].iter().take_while(|&&c| is_han(c));
        let j = left.len();
        let window = left.into_iter().chain(std::iter::once(s[i])).chain(right.copied()).collect();
        (window, j)
    }

    /// `context._yi_gain` at or above YI_MARGIN.
    fn yi_wins(&self, s: &[char], i: usize, repairs: &[(usize, char)]) -> bool {
        let lexicon = self.lexicon.get();
        let (window, j) = self.window(s, i, repairs);
        let left: String = window[..j].iter().collect();
        let right: String = window[j + 1..].iter().collect();
        let joined = lexicon.segmentation(&format!("{left}一{right}"));
        let (word_start, word_end) = word_at(&joined.1, j);
        if word_end - word_start < 2 {
            return false;
        }
        let apart = lexicon.segmentation(&left).0 + lexicon.log_prob("一") + lexicon.segmentation(&right).0;
        joined.0 - apart >= self.yi_margin
    }

    /// `context._lookalike_for` with LOOKALIKE_MARGIN.
    fn lookalike_for(&self, window: Vec<char>, j: usize) -> Option<char> {
        self.lookalikes.get_or((window.clone(), j), || self.decide_lookalike(&window, j))
    }

    fn decide_lookalike(&self, window: &[char], j: usize) -> Option<char> {
        let (lexicon, model) = (self.lexicon.get(), self.model.get());
        let with = |r: char| -> String {
            window.iter().enumerate().map(|(k, &c)| if k == j { r } else { c }).collect()
        };
        let repairs: Vec<(char, String)> = self.pairs.get(&window[j])?
            .iter()
            .map(|&r| (r, with(r)))
            .filter(|(_, text)| lexicon.has_word_over(text, j) || model.has_word_over(text, j))
            .collect();
        if repairs.is_empty() {
            return None;
        }
        let damaged = self.read(&window.iter().collect::<String>());
        let mut best: Option<(f64, char)> = None;
        for (repair, text) in repairs {
            let gain = self.read(&text) - damaged;
            if gain >= self.lookalike_margin && best.is_none_or(|(b, _)| gain > b) {
                best = Some((gain, repair));
            }
        }
        best.map(|(_, r)| r)
    }

    /// `context.rejoin_split_words`, the whole text read as one chunk.
    pub(crate) fn rejoin_split_words(&self, text: &str) -> String {
        if !text.contains('\n') {
            return text.to_string();
        }
        let (body, newline) = match text.strip_suffix('\n') {
            Some(body) => (body, true),
            None => (text, false),
        };
        let mut out = String::with_capacity(text.len());
        let mut held = String::new();
        for (k, line) in body.split('\n').enumerate() {
            if k == 0 {
                held.push_str(line);
            } else if self.rejoins(&held, line) {
                held.truncate(rstrip(&held).len());
                held.push_str(lstrip(line));
            } else {
                out.push_str(&held);
                out.push('\n');
                held.clear();
                held.push_str(line);
            }
        }
        out.push_str(&held);
        if newline {
            out.push('\n');
        }
        out
    }

    /// `context.restore_yi_in_words`.
    pub(crate) fn restore_yi_in_words(&self, text: &str) -> String {
        if !text.chars().any(|c| self.dashes.contains(&c)) {
            return text.to_string();
        }
        let s: Vec<char> = text.chars().collect();
        let mut repairs: Vec<(usize, char)> = Vec::new();
        for i in 1..s.len().saturating_sub(1) {
            if self.dashes.contains(&s[i]) && is_han(s[i - 1]) && is_han(s[i + 1])
                && self.yi_wins(&s, i, &repairs)
            {
                repairs.push((i, '一'));
            }
        }
        if repairs.is_empty() {
            return text.to_string();
        }
        with_repairs(&s, &repairs)
    }

    /// `context.repair_lookalikes`.
    pub(crate) fn repair_lookalikes(&self, text: &str) -> String {
        if !lookalike_hint(text, |c| self.pairs.contains_key(&c)) {
            return text.to_string();
        }
        let s: Vec<char> = text.chars().collect();
        let mut repairs: Vec<(usize, char)> = Vec::new();
        for i in sites_in(&self.sites, &s) {
            let (window, j) = self.window(&s, i, &repairs);
            if let Some(r) = self.lookalike_for(window, j) {
                repairs.push((i, r));
            }
        }
        if repairs.is_empty() {
            return text.to_string();
        }
        with_repairs(&s, &repairs)
    }
}

/// `context._LOOKALIKE_HINT`: a damaged character beside a Han character.
pub(crate) fn lookalike_hint(text: &str, damaged: impl Fn(char) -> bool) -> bool {
    let (mut before, mut at) = (None::<char>, None::<char>);
    for c in text.chars().map(Some).chain(std::iter::once(None)) {
        if let Some(d) = at {
            if damaged(d) && (before.is_some_and(is_han) || c.is_some_and(is_han)) {
                return true;
            }
        }
        (before, at) = (at, c);
    }
    false
}

/// `s` with each of `repairs` (position, character; increasing) made.
fn with_repairs(s: &[char], repairs: &[(usize, char)]) -> String {
    let mut out: Vec<char> = s.to_vec();
    for &(k, c) in repairs {
        out[k] = c;
    }
    out.into_iter().collect()
}

#[pymethods]
impl ContextRules {
    #[new]
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (lexicon, model, pairs, candidates, dashes, *, context, lookalike_margin,
                        yi_margin, split_margin, scale, ln10))]
    fn new(
        lexicon: Py<Lexicon>,
        model: Py<TrigramModel>,
        pairs: HashMap<char, String>,
        candidates: HashMap<char, (String, String)>,
        dashes: &str,
        context: usize,
        lookalike_margin: f64,
        yi_margin: f64,
        split_margin: f64,
        scale: f64,
        ln10: f64,
    ) -> Self {
        ContextRules {
            lexicon,
            model,
            pairs: pairs.into_iter().map(|(k, v)| (k, v.chars().collect())).collect(),
            sites: SiteTable::new(candidates),
            dashes: dashes.chars().collect(),
            context,
            lookalike_margin,
            yi_margin,
            split_margin,
            scale,
            ln10,
            lookalikes: Memo::new(1 << 14),
            splits: Memo::new(1 << 12),
        }
    }

    /// `context.splits_word`.
    fn splits_word(&self, left: &str, right: &str) -> bool {
        self.splits_across(left, right)
    }

    /// `context.rejoin_split_words`, the whole text read as one chunk.
    #[pyo3(name = "rejoin_split_words")]
    fn py_rejoin_split_words(&self, text: Text) -> String {
        self.rejoin_split_words(&text)
    }

    /// `context.restore_yi_in_words`.
    #[pyo3(name = "restore_yi_in_words")]
    fn py_restore_yi_in_words(&self, text: Text) -> String {
        self.restore_yi_in_words(&text)
    }

    /// `context.repair_lookalikes`.
    #[pyo3(name = "repair_lookalikes")]
    fn py_repair_lookalikes(&self, text: Text) -> String {
        self.repair_lookalikes(&text)
    }
}
