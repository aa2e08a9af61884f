//! The word lexicon: `textclean.lexicon.Lexicon`, compiled.
//!
//! Built from the table's own bytes (the words, "\n" between, and their counts), so
//! the Python side makes no dictionary of its own. Log probabilities use the same
//! `ln` of the same counts as Python's `math.log`, in the same order of operations.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use hashbrown::hash_table::{Entry, HashTable};
use std::collections::{BTreeSet, HashMap};

/// A fast hash for short keys: rustc's FxHasher (multiply and rotate) over the
/// word's bytes eight at a time, then murmur3's finaliser. Fx alone leaves the low
/// bits, which pick a bucket, to the first bytes (the first character's), so that
/// words starting alike would share buckets. The tables are ours: a hash that
/// resists crafted collisions buys nothing.
fn hash_of(word: &str) -> u64 {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;
    let mut hash: u64 = 0;
    let mut add = |chunk: u64| hash = (hash.rotate_left(5) ^ chunk).wrapping_mul(SEED);
    let mut chunks = word.as_bytes().chunks_exact(8);
    for chunk in &mut chunks {
        add(u64::from_le_bytes(chunk.try_into().expect("eight bytes")));
    }
    let rest = chunks.remainder();
    let mut last = [0u8; 8];
    last[..rest.len()].copy_from_slice(rest);
    add(u64::from_le_bytes(last) ^ ((word.len() as u64) << 56));
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    hash ^ (hash >> 33)
}

/// The words of a table, numbered in their order, in one buffer: the hash table
/// holds word numbers, not a string of its own for each word, so building it for
/// 349,000 words makes no allocation a word.
pub struct WordIndex {
    text: Box<str>,
    /// Each word's byte span in `text`.
    spans: Vec<(u32, u32)>,
    table: HashTable<u32>,
}

impl WordIndex {
    /// The words of `words` ("\n" between), numbered from 0; a word listed twice
    /// keeps its last number (as a map's insert would).
    pub fn new(words: &str) -> Self {
        let text: Box<str> = words.into();
        let mut spans = Vec::new();
        let mut start = 0usize;
        for word in words.split('\n') {
            spans.push((start as u32, (start + word.len()) as u32));
            start += word.len() + 1;
        }
        let mut index = WordIndex { text, spans, table: HashTable::with_capacity(0) };
        let mut table = HashTable::with_capacity(index.spans.len());
        for id in 0..index.spans.len() as u32 {
            let word = index.word(id);
            let hash = hash_of(word);
            match table.entry(hash, |&k| index.word(k) == word, |&k| hash_of(index.word(k))) {
                Entry::Occupied(mut seen) => *seen.get_mut() = id,
                Entry::Vacant(free) => {
                    free.insert(id);
                }
            }
        }
        index.table = table;
        index
    }

    /// The word numbered `id`.
    pub fn word(&self, id: u32) -> &str {
        let (start, end) = self.spans[id as usize];
        &self.text[start as usize..end as usize]
    }

    /// No words.
    pub fn new_empty() -> Self {
        WordIndex { text: "".into(), spans: Vec::new(), table: HashTable::new() }
    }

    /// The number of `word`, if it is listed.
    pub fn get(&self, word: &str) -> Option<u32> {
        self.table.find(hash_of(word), |&k| self.word(k) == word).copied()
    }

    /// How many words the list had (a word listed twice, twice).
    pub fn spans_len(&self) -> usize {
        self.spans.len()
    }

    /// How many words are listed (each once).
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// The numbers of the words listed (a word listed twice, once).
    pub fn ids(&self) -> impl Iterator<Item = u32> + '_ {
        self.table.iter().copied()
    }
}

#[pyclass(frozen, module = "textclean._engine")]
pub struct Lexicon {
    words: WordIndex,
    counts: Vec<u32>,
    log_total: f64,
    max_word: usize,
}

/// Byte offsets of a text's characters, and its end.
pub fn char_offsets(text: &str) -> Vec<usize> {
    text.char_indices().map(|(i, _)| i).chain(std::iter::once(text.len())).collect()
}

impl Lexicon {
    fn count(&self, word: &str) -> Option<u32> {
        self.words.get(word).map(|id| self.counts[id as usize])
    }

    /// `Lexicon.segment`: the score and where each word ends (in characters).
    pub(crate) fn segmentation(&self, text: &str) -> (f64, Vec<usize>) {
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
        let words = if counts.is_empty() { None } else { Some(WordIndex::new(words)) };
        let listed = words.as_ref().map_or(0, WordIndex::spans_len);
        if listed != counts.len() {
            return Err(PyValueError::new_err("the lexicon's words and counts differ in number"));
        }
        let words = words.unwrap_or_else(WordIndex::new_empty);
        // Each word once: in the list's order (the memory's), unless a word is listed
        // twice, when the count that stays is its last.
        let total: u64 = if words.len() == listed {
            counts.iter().map(|&c| u64::from(c)).sum()
        } else {
            words.ids().map(|id| u64::from(counts[id as usize])).sum()
        };
        let longest = (0..listed as u32).map(|id| words.word(id).chars().count()).max().unwrap_or(1);
        Ok(Lexicon {
            words,
            counts,
            log_total: (if total == 0 { 1 } else { total } as f64).ln(),
            max_word: max_word.min(longest),
        })
    }

    fn __contains__(&self, word: &str) -> bool {
        self.words.get(word).is_some()
    }

    fn __len__(&self) -> usize {
        self.words.len()
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
    pub(crate) fn log_prob(&self, word: &str) -> f64 {
        match self.count(word) {
            Some(c) if c > 0 => f64::from(c).ln() - self.log_total,
            _ => -self.log_total,
        }
    }

    /// `Lexicon.has_word_over` (``index`` in characters).
    pub(crate) fn has_word_over(&self, text: &str, index: usize) -> bool {
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
                if self.words.get(&text[at[start]..at[end]]).is_some() {
                    return true;
                }
            }
        }
        false
    }

    /// `Lexicon.segment`: the score and where each word ends (in characters).
    fn segment(&self, py: Python<'_>, text: &str) -> (f64, Vec<usize>) {
        py.allow_threads(|| self.segmentation(text))
    }

    /// `Lexicon.neighbours`: for each character of ``chars``, the characters that
    /// stand before it and after it in the words of two characters or more that hold
    /// it (each as a sorted string).
    fn neighbours(&self, chars: &str) -> (HashMap<char, String>, HashMap<char, String>) {
        // A bitmap of the wanted code points: one test a character, for every
        // character of 349,000 words.
        let top = chars.chars().map(|c| c as usize).max().unwrap_or(0);
        let mut wanted = vec![0u64; top / 64 + 1];
        for c in chars.chars() {
            wanted[c as usize / 64] |= 1 << (c as usize % 64);
        }
        let is_wanted = |c: char| {
            let i = c as usize;
            i <= top && wanted[i / 64] & (1 << (i % 64)) != 0
        };
        let mut before: HashMap<char, BTreeSet<char>> = HashMap::new();
        let mut after: HashMap<char, BTreeSet<char>> = HashMap::new();
        for word in self.words.ids().map(|id| self.words.word(id)) {
            if !word.chars().any(is_wanted) {
                continue;
            }
            let mut prev: Option<char> = None;
            for c in word.chars() {
                if let Some(p) = prev {
                    if is_wanted(p) {
                        after.entry(p).or_default().insert(c);
                    }
                    if is_wanted(c) {
                        before.entry(c).or_default().insert(p);
                    }
                }
                prev = Some(c);
            }
        }
        let flat = |m: HashMap<char, BTreeSet<char>>| {
            m.into_iter().map(|(k, v)| (k, v.into_iter().collect::<String>())).collect()
        };
        (flat(before), flat(after))
    }
}
