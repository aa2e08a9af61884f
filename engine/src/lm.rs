//! The word-trigram model's reader: `textclean.lm.TrigramModel.read_reference`,
//! compiled.
//!
//! Same tables (handed over by the Python loader), same beam, same order of
//! insertion and of ties, same integer arithmetic in thousandths of log10, so the
//! reading and its score are the Python reference's, bit for bit.

use crate::lexicon::{char_offsets, WordIndex};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

fn i16s(data: &[u8]) -> Vec<i16> {
    data.chunks_exact(2).map(|c| i16::from_ne_bytes([c[0], c[1]])).collect()
}

fn i64s(data: &[u8]) -> Vec<i64> {
    data.chunks_exact(8)
        .map(|c| i64::from_ne_bytes(c.try_into().expect("eight bytes")))
        .collect()
}

/// The last two words read (fewer at the start): the model's state.
#[derive(Clone, Copy, PartialEq, Eq)]
struct State {
    len: u8,
    a: u32,
    b: u32,
}

impl State {
    const START: State = State { len: 0, a: 0, b: 0 };

    /// `(*state[-1:], k)`: the state after word `k`.
    fn then(self, k: u32) -> State {
        match self.len {
            0 => State { len: 1, a: k, b: 0 },
            1 => State { len: 2, a: self.a, b: k },
            _ => State { len: 2, a: self.b, b: k },
        }
    }
}

struct Entry {
    state: State,
    score: i64,
    path: Vec<u32>,
}

#[pyclass(frozen, module = "textclean._engine")]
pub struct TrigramModel {
    ids: WordIndex,
    u_logp: Vec<i16>,
    u_back: Vec<i16>,
    b_key: Vec<i64>,
    b_logp: Vec<i16>,
    b_back: Vec<i16>,
    t_key: Vec<i64>,
    t_logp: Vec<i16>,
    unk: u32,
    longest: usize,
    beam: usize,
    unknown_penalty: i64,
}

impl TrigramModel {
    fn bigram(&self, a: u32, b: u32) -> Option<usize> {
        let key = (i64::from(a) << 18) | i64::from(b);
        self.b_key.binary_search(&key).ok()
    }

    /// log10 p(b | a), in thousandths.
    fn p2(&self, a: u32, b: u32) -> i64 {
        match self.bigram(a, b) {
            Some(k) => i64::from(self.b_logp[k]),
            None => i64::from(self.u_back[a as usize]) + i64::from(self.u_logp[b as usize]),
        }
    }

    /// log10 p(c | a b), in thousandths.
    fn p3(&self, a: u32, b: u32, c: u32) -> i64 {
        let key = (i64::from(a) << 36) | (i64::from(b) << 18) | i64::from(c);
        if let Ok(k) = self.t_key.binary_search(&key) {
            return i64::from(self.t_logp[k]);
        }
        let back = self.bigram(a, b).map_or(0, |ab| i64::from(self.b_back[ab]));
        back + self.p2(b, c)
    }

    fn next(&self, state: State, k: u32) -> i64 {
        match state.len {
            2 => self.p3(state.a, state.b, k),
            1 => self.p2(state.a, k),
            _ => i64::from(self.u_logp[k as usize]),
        }
    }

    /// The best reading's word ids and its score (log10, thousandths).
    pub(crate) fn best(&self, text: &str) -> (Vec<u32>, i64) {
        let offsets: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(text.len()))
            .collect();
        let n = offsets.len() - 1;
        let mut beams: Vec<Vec<Entry>> = (0..=n).map(|_| Vec::new()).collect();
        beams[0].push(Entry { state: State::START, score: 0, path: Vec::new() });
        for pos in 0..n {
            if beams[pos].is_empty() {
                continue;
            }
            let here = std::mem::take(&mut beams[pos]);
            for entry in &here {
                for stop in pos + 1..=n.min(pos + self.longest) {
                    let (k, penalty) = match self.ids.get(&text[offsets[pos]..offsets[stop]]) {
                        Some(k) => (k, 0),
                        None if stop - pos > 1 => continue,
                        None => (self.unk, self.unknown_penalty),
                    };
                    let score = entry.score + self.next(entry.state, k) - penalty;
                    let state = entry.state.then(k);
                    let there = &mut beams[stop];
                    match there.iter_mut().find(|e| e.state == state) {
                        Some(old) => {
                            if score > old.score {
                                old.score = score;
                                old.path.clear();
                                old.path.extend_from_slice(&entry.path);
                                old.path.push(k);
                            }
                        }
                        None => {
                            let mut path = Vec::with_capacity(entry.path.len() + 1);
                            path.extend_from_slice(&entry.path);
                            path.push(k);
                            there.push(Entry { state, score, path });
                        }
                    }
                }
            }
            beams[pos] = here;
            let next = &mut beams[pos + 1];
            if next.len() > self.beam {
                // Stable, as Python's sorted: ties keep their order of insertion.
                next.sort_by_key(|x| std::cmp::Reverse(x.score));
                next.truncate(self.beam);
            }
        }
        // Python's max over (score, path) tuples: the highest score, then the
        // greatest path.
        let best = beams[n]
            .iter()
            .max_by(|x, y| x.score.cmp(&y.score).then_with(|| x.path.cmp(&y.path)))
            .expect("a reading always exists");
        (best.path.clone(), best.score)
    }
}

#[pymethods]
impl TrigramModel {
    /// The model from the tables `textclean.lm.TrigramModel` reads: the words in id
    /// order (UTF-8, "\n" between), and each array's bytes in native order.
    #[new]
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (words, u_logp, u_back, b_key, b_logp, b_back, t_key, t_logp, *,
                        max_word, beam, unknown_penalty))]
    fn new(
        words: &[u8],
        u_logp: &[u8],
        u_back: &[u8],
        b_key: &[u8],
        b_logp: &[u8],
        b_back: &[u8],
        t_key: &[u8],
        t_logp: &[u8],
        max_word: usize,
        beam: usize,
        unknown_penalty: i64,
    ) -> PyResult<Self> {
        let words = std::str::from_utf8(words)
            .map_err(|_| PyValueError::new_err("the model's words are not UTF-8"))?;
        let ids = WordIndex::new(words);
        let listed = ids.spans_len();
        let longest = max_word.min((0..listed as u32).map(|k| ids.word(k).chars().count()).max().unwrap_or(0));
        let model = TrigramModel {
            unk: ids.get("<unk>").unwrap_or(0),
            ids,
            u_logp: i16s(u_logp),
            u_back: i16s(u_back),
            b_key: i64s(b_key),
            b_logp: i16s(b_logp),
            b_back: i16s(b_back),
            t_key: i64s(t_key),
            t_logp: i16s(t_logp),
            longest,
            beam,
            unknown_penalty,
        };
        let n = model.u_logp.len();
        if listed != n || model.u_back.len() != n
            || model.b_logp.len() != model.b_key.len()
            || model.b_back.len() != model.b_key.len()
            || model.t_logp.len() != model.t_key.len()
            || (model.unk as usize) >= n.max(1)
            || beam == 0
        {
            return Err(PyValueError::new_err("inconsistent language-model tables"));
        }
        Ok(model)
    }

    /// The id of ``<unk>`` (0 where the model has none).
    #[getter]
    fn unk(&self) -> u32 {
        self.unk
    }

    /// The longest word the reader tries.
    #[getter]
    fn longest(&self) -> usize {
        self.longest
    }

    /// `TrigramModel.has_word_over` (``j`` in characters).
    pub(crate) fn has_word_over(&self, text: &str, j: usize) -> bool {
        let at = char_offsets(text);
        let n = at.len() - 1;
        if j >= n {
            return false;
        }
        for a in (j + 1).saturating_sub(self.longest)..=j {
            for b in (a + 2).max(j + 1)..=n.min(a + self.longest) {
                if self.ids.get(&text[at[a]..at[b]]).is_some() {
                    return true;
                }
            }
        }
        false
    }

    /// `text` read as its most probable words: their ids and the score (log10 of
    /// the probability, in thousandths), as `TrigramModel.read_reference` finds them.
    fn read(&self, py: Python<'_>, text: &str) -> (Vec<u32>, i64) {
        py.allow_threads(|| self.best(text))
    }
}
