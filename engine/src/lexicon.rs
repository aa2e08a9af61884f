//! The word lexicon: `textclean.lexicon.Lexicon`, compiled.
//!
//! Built from the table's own bytes (the words, "\n" between, and their counts), so
//! the Python side makes no dictionary of its own. Log probabilities use the same
//! `ln` of the same counts as Python's `math.log`, in the same order of operations.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

/// A fast hash for short keys (the multiply-and-rotate of rustc's FxHasher): the
/// tables are ours, so a hash that resists crafted collisions buys nothing.
#[derive(Default)]
pub struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(chunk.try_into().expect("eight bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(last));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

/// A map keyed by words, with the fast hash.
pub type WordMap<V> = HashMap<Box<str>, V, BuildHasherDefault<FxHasher>>;

#[pyclass(frozen, module = "textclean._engine")]
pub struct Lexicon {
    freq: WordMap<u32>,
    log_total: f64,
    max_word: usize,
}

/// Byte offsets of a text's characters, and its end.
pub fn char_offsets(text: &str) -> Vec<usize> {
    text.char_indices().map(|(i, _)| i).chain(std::iter::once(text.len())).collect()
}

impl Lexicon {
    fn count(&self, word: &str) -> Option<u32> {
        self.freq.get(word).copied()
    }
}

#[pymethods]
impl Lexicon {
    /// The lexicon of a table's body: ``words`` (UTF-8, "\n" between, in the order of
    /// ``counts``, native uint32), each word at most ``max_word`` characters long
    /// as the segmenter sees it.
    #[new]
    #[pyo3(signature = (words, counts, *, max_word))]
    fn new(words: &[u8], counts: &[u8], max_word: usize) -> PyResult<Self> {
        let words = std::str::from_utf8(words)
            .map_err(|_| PyValueError::new_err("the lexicon's words are not UTF-8"))?;
        let counts: Vec<u32> = counts
            .chunks_exact(4)
            .map(|c| u32::from_ne_bytes(c.try_into().expect("four bytes")))
            .collect();
        let list: Vec<&str> = if counts.is_empty() { Vec::new() } else { words.split('\n').collect() };
        if list.len() != counts.len() {
            return Err(PyValueError::new_err("the lexicon's words and counts differ in number"));
        }
        let mut freq: WordMap<u32> = WordMap::with_capacity_and_hasher(list.len(), Default::default());
        for (word, &count) in list.iter().zip(&counts) {
            freq.insert((*word).into(), count);
        }
        let total: u64 = freq.values().map(|&c| u64::from(c)).sum();
        let longest = freq.keys().map(|w| w.chars().count()).max().unwrap_or(1);
        Ok(Lexicon {
            freq,
            log_total: (if total == 0 { 1 } else { total } as f64).ln(),
            max_word: max_word.min(longest),
        })
    }

    fn __contains__(&self, word: &str) -> bool {
        self.freq.contains_key(word)
    }

    fn __len__(&self) -> usize {
        self.freq.len()
    }

    /// The longest word the segmenter tries.
    #[getter]
    fn max_word(&self) -> usize {
        self.max_word
    }

    /// A word's count, or None.
    fn get(&self, word: &str) -> Option<u32> {
        self.count(word)
    }

    /// `Lexicon.log_prob`.
    fn log_prob(&self, word: &str) -> f64 {
        match self.count(word) {
            Some(c) if c > 0 => f64::from(c).ln() - self.log_total,
            _ => -self.log_total,
        }
    }

    /// `Lexicon.has_word_over` (``index`` in characters).
    fn has_word_over(&self, text: &str, index: usize) -> bool {
        let at = char_offsets(text);
        let n = at.len() - 1;
        if index >= n {
            return false;
        }
        let first = (index + 1).saturating_sub(self.max_word);
        for start in first..=index {
            let lo = (index + 1).max(start + 2);
            let hi = n.min(start + self.max_word);
            for end in lo..=hi {
                if self.freq.contains_key(&text[at[start]..at[end]]) {
                    return true;
                }
            }
        }
        false
    }

    /// `Lexicon.segment`: the score and where each word ends (in characters).
    fn segment(&self, py: Python<'_>, text: &str) -> (f64, Vec<usize>) {
        py.allow_threads(|| {
            let at = char_offsets(text);
            let n = at.len() - 1;
            let mut best = vec![f64::NEG_INFINITY; n + 1];
            best[0] = 0.0;
            let mut back = vec![0usize; n + 1];
            let unknown = -self.log_total;
            for end in 1..=n {
                for start in end.saturating_sub(self.max_word)..end {
                    if best[start] == f64::NEG_INFINITY {
                        continue;
                    }
                    let lp = match self.count(&text[at[start]..at[end]]) {
                        None if end - start > 1 => continue,
                        None => unknown,
                        Some(c) => f64::from(c).ln() - self.log_total,
                    };
                    let score = best[start] + lp;
                    if score > best[end] {
                        best[end] = score;
                        back[end] = start;
                    }
                }
            }
            let mut ends = Vec::new();
            let mut end = n;
            while end > 0 {
                ends.push(end);
                end = back[end];
            }
            ends.reverse();
            (best[n], ends)
        })
    }

    /// `Lexicon.neighbours`: for each character of ``chars``, the characters that
    /// stand before it and after it in the words of two characters or more that hold
    /// it (each as a sorted string).
    fn neighbours(&self, chars: &str) -> (HashMap<char, String>, HashMap<char, String>) {
        let wanted: BTreeSet<char> = chars.chars().collect();
        let mut before: HashMap<char, BTreeSet<char>> = HashMap::new();
        let mut after: HashMap<char, BTreeSet<char>> = HashMap::new();
        for word in self.freq.keys() {
            let cs: Vec<char> = word.chars().collect();
            if cs.len() < 2 || !cs.iter().any(|c| wanted.contains(c)) {
                continue;
            }
            for pair in cs.windows(2) {
                if wanted.contains(&pair[0]) {
                    after.entry(pair[0]).or_default().insert(pair[1]);
                }
                if wanted.contains(&pair[1]) {
                    before.entry(pair[1]).or_default().insert(pair[0]);
                }
            }
        }
        let flat = |m: HashMap<char, BTreeSet<char>>| {
            m.into_iter().map(|(k, v)| (k, v.into_iter().collect::<String>())).collect()
        };
        (flat(before), flat(after))
    }
}
