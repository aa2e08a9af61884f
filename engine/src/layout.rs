//! The layout phase's per-line features: `textclean.rules.lines.LayoutEvidence._add`
//! and `_RegionTracker`, compiled.
//!
//! Every count is the Python reference's, in the same order of events; the Python
//! side reads them back (`LayoutEvidence._sync`) and decides the layout from them as
//! it always did. Widths are multiples of half a cell, so a width is kept as a count
//! of half cells where Python keeps a float key, and given back as that float.

use crate::tables;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::PyDict;
use std::collections::VecDeque;

// --- Character tests (the generated tables) -------------------------------------------

pub(crate) fn in_ranges(c: char, ranges: &[(u32, u32)]) -> bool {
    let cp = c as u32;
    ranges
        .binary_search_by(|&(a, b)| {
            if b < cp {
                std::cmp::Ordering::Less
            } else if a > cp {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

class!(pub(crate) is_py_space, tables::PY_SPACE);
pub(crate) fn is_hspace(c: char) -> bool {
    tables::is_hspace(c)
}
class!(pub(crate) is_strong, tables::CJK_STRONG);
class!(pub(crate) is_letter, tables::CJK_LETTER);
class!(pub(crate) is_han, tables::HAN);
class!(is_clause_punct, tables::CLAUSE_PUNCT);
class!(is_half_width_alnum, tables::HALF_WIDTH_ALNUM);

/// How many characters of `_HALF_WIDTH_ALNUM` the text holds. The class is ASCII
/// (`[0-9A-Za-z]`), so the bytes are counted, not the characters decoded; were the
/// table to grow past ASCII, the characters would be.
pub(crate) fn half_width_alnums(text: &str) -> usize {
    static ASCII: std::sync::OnceLock<Option<[bool; 128]>> = std::sync::OnceLock::new();
    let ascii = ASCII.get_or_init(|| {
        let mut table = [false; 128];
        for &(a, b) in tables::HALF_WIDTH_ALNUM {
            if b >= 0x80 {
                return None;
            }
            (a..=b).for_each(|cp| table[cp as usize] = true);
        }
        Some(table)
    });
    match ascii {
        Some(table) => text.bytes().filter(|&b| b < 0x80 && table[b as usize]).count(),
        None => text.chars().filter(|&c| is_half_width_alnum(c)).count(),
    }
}

pattern!(
    /// `cd.BYLINE`.
    pub(crate) byline, tables::BYLINE
);
pattern!(credit, tables::CREDIT);

/// Python's `str.strip()`.
pub(crate) fn py_strip(text: &str) -> &str {
    text.trim_matches(is_py_space)
}

/// `document.lines_of`: the lines of a chunk without their line breaks (a chunk that
/// ends with one has no empty line after it).
pub(crate) fn lines_of(chunk: &str) -> impl Iterator<Item = &str> {
    let body = chunk.strip_suffix('\n').unwrap_or(chunk);
    (!chunk.is_empty()).then(|| body.split('\n')).into_iter().flatten()
}

pub(crate) fn char_len(text: &str) -> usize {
    text.chars().count()
}

/// `len(text) <= n`, without counting past `n` (a character takes 1 to 4 bytes).
pub(crate) fn at_most_chars(text: &str, n: usize) -> bool {
    text.len() <= n || (text.len() <= 4 * n && text.chars().nth(n).is_none())
}

fn floor_half(width: f64) -> i64 {
    (width + 0.5).floor() as i64
}

// --- The Python helpers, one for one ---------------------------------------------------

/// `lines.cells`, in one pass over the text.
pub(crate) fn cells(text: &str) -> f64 {
    // Eight bytes at a time: a word without an ASCII byte only adds its characters
    // (the bytes that do not continue a UTF-8 sequence); a word with one is read
    // byte by byte, every other character standing as 0x80.
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut count = Cells::default();
    let mut words = text.as_bytes().chunks_exact(8);
    for word in &mut words {
        let w = u64::from_le_bytes(word.try_into().expect("eight bytes"));
        if w & HIGH == HIGH {
            let leads = (w & (w << 1) & HIGH).count_ones();
            count.len += i64::from(leads);
            match leads {
                0 => {}
                1 => (count.before_last, count.last) = (count.last, 0x80),
                _ => (count.before_last, count.last) = (0x80, 0x80),
            }
        } else {
            word.iter().for_each(|&b| count.byte(b));
        }
    }
    words.remainder().iter().for_each(|&b| count.byte(b));
    let Cells { len, ascii, spaces, alnum, spaced, .. } = count;
    if !ascii {
        return len as f64;
    }
    (len - spaces) as f64 - 0.5 * alnum as f64 + 0.5 * spaced as f64
}

/// What `cells` counts.
#[derive(Default)]
struct Cells {
    len: i64,
    ascii: bool,
    spaces: i64,
    alnum: i64,
    /// findall of "[0-9] (?=[0-9])": a digit, a space, a digit. Two matches cannot
    /// overlap (the middle character would be a digit and a space), so every such
    /// triple counts.
    spaced: i64,
    /// The last two characters (ASCII ones as themselves, any other as 0x80).
    before_last: u8,
    last: u8,
}

impl Cells {
    #[inline]
    fn byte(&mut self, b: u8) {
        if b < 0x80 {
            self.len += 1;
            self.ascii = true;
            if b == b' ' || b == b'\t' {
                self.spaces += 1;
            } else if b.is_ascii_alphanumeric() {
                self.alnum += 1;
                if b.is_ascii_digit() && self.last == b' ' && self.before_last.is_ascii_digit() {
                    self.spaced += 1;
                }
            }
            (self.before_last, self.last) = (self.last, b);
        } else if b >= 0xC0 {
            self.len += 1;
            (self.before_last, self.last) = (self.last, 0x80);
        }
    }
}

/// `lines.ends_sentence`.
pub(crate) fn ends_sentence(text: &str) -> bool {
    let stripped = text.trim_end_matches(|c| tables::is_closer(c) || is_hspace(c));
    let mut rev = stripped.chars().rev();
    let Some(last) = rev.next() else {
        return !py_strip(text).is_empty();
    };
    if tables::is_sentence_end(last) || last == '：' || last == ':' {
        return true;
    }
    last == '.' && rev.next().is_some_and(is_letter)
}

/// `lines.is_headline_like`.
pub(crate) fn is_headline_like(text: &str) -> bool {
    let stripped = py_strip(text);
    headline_like_at(stripped, cells(stripped))
}

/// `is_headline_like` of a stripped text whose width is known.
pub(crate) fn headline_like_at(stripped: &str, width: f64) -> bool {
    0.0 < width
        && width <= 40.0
        && !stripped.chars().any(is_clause_punct)
        && !stripped.chars().next().is_some_and(tables::is_caption_mark)
        && stripped.chars().any(is_strong)
}

/// `lines.is_credit_line`.
pub(crate) fn is_credit_line(text: &str) -> bool {
    at_most_chars(text, 40)
        && (text.contains('摄') || text.contains('图'))
        && credit().is_match(py_strip(text))
}

/// `lines.is_standalone_line`.
pub(crate) fn is_standalone_line(text: &str) -> bool {
    text.chars().next().is_none_or(tables::is_caption_mark)
        || is_credit_line(text)
        || ((text.contains("记者") || text.contains("通讯员")) && byline().is_match(text))
}

/// `lines._hanging`.
pub(crate) fn hanging(text: &str) -> i64 {
    let Some(last) = text.chars().next_back() else {
        return 0;
    };
    if !tables::is_continuation_start(last) {
        return 0;
    }
    if last == '—' {
        let all = text.trim_end_matches(|c| is_hspace(c) || c == '—');
        let but_last = text[..text.len() - last.len_utf8()].trim_end_matches(is_hspace);
        if all != but_last {
            return 0;
        }
    }
    1
}

/// `lines._indent`.
pub(crate) fn indent(line: &str) -> f64 {
    let (mut wide, mut narrow) = (0usize, 0usize);
    for c in line.chars().take_while(|&c| is_hspace(c)) {
        if c == '\u{3000}' {
            wide += 1;
        } else {
            narrow += 1;
        }
    }
    wide as f64 + 0.5 * narrow as f64
}

/// `lines._segments`: the line cut at interior runs of spaces that touch a CJK
/// character (`_COLUMN_SPACE.split`), unless it is a justified line.
pub(crate) fn segments(line: &str) -> Vec<&str> {
    // A run of spaces is a cut where a character stands on both sides of it and one of
    // the two is strong (a run matches whole or not at all). The runs are found by the
    // first bytes a space can have (never a byte that continues a character), so the
    // text between them is not decoded.
    static LEADS: std::sync::OnceLock<[bool; 256]> = std::sync::OnceLock::new();
    let leads = LEADS.get_or_init(|| {
        let mut leads = [false; 256];
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32).filter(|&c| is_hspace(c)) {
            let mut buf = [0u8; 4];
            leads[c.encode_utf8(&mut buf).as_bytes()[0] as usize] = true;
        }
        leads
    });
    let bytes = line.as_bytes();
    let mut parts = Vec::new();
    let mut start = 0usize;
    let mut i = 0usize;
    while let Some(k) = bytes[i..].iter().position(|&b| leads[b as usize]) {
        let p = i + k;
        let mut q = p;
        while let Some(c) = line[q..].chars().next().filter(|&c| is_hspace(c)) {
            q += c.len_utf8();
        }
        if q == p {
            // A character that only shares a space's first byte.
            i = p + line[p..].chars().next().map_or(1, char::len_utf8);
            continue;
        }
        let before = line[..p].chars().next_back();
        let after = line[q..].chars().next();
        if let (Some(b), Some(c)) = (before, after) {
            if is_strong(b) || is_strong(c) {
                parts.push(&line[start..p]);
                start = q;
            }
        }
        i = q;
    }
    parts.push(&line[start..]);
    let ones = parts.iter().filter(|p| !p.is_empty() && at_most_chars(p, 1)).count();
    if parts.len() >= 3 && 3 * ones >= 2 * parts.len() {
        return vec![line];
    }
    parts
}

/// `lines.VisualLine` (the fields the features read).
#[derive(Clone)]
pub(crate) struct Visual {
    pub(crate) text: String,
    pub(crate) indent: f64,
    pub(crate) width: f64,
    pub(crate) joined: bool,
}

impl Visual {
    fn to_py(&self) -> VisualTuple {
        (self.text.clone(), self.indent, self.width, self.joined, -1)
    }
}

/// `lines._visual_lines` (without line numbers).
pub(crate) fn visual_lines(line: &str, text: &str, segs: &[&str]) -> Vec<Visual> {
    let ind = indent(line);
    if segs.len() < 3 {
        return vec![Visual { text: text.to_string(), indent: ind, width: cells(text), joined: false }];
    }
    segs.iter()
        .enumerate()
        .map(|(k, seg)| Visual {
            text: seg.to_string(),
            indent: if k == 0 { ind } else { 0.0 },
            width: cells(seg),
            joined: k > 0,
        })
        .collect()
}

/// What the layout features and the paragraphs both read of a line, computed once
/// for a join (its features, each region's, and its paragraphs).
pub(crate) struct LineFacts<'a> {
    /// The line stripped.
    pub(crate) text: &'a str,
    /// None for a blank line.
    pub(crate) seen: Option<Seen>,
}

/// A line with text: whether it is a standalone line, its visual lines (cut at its
/// column spaces unless it is standalone) and the line read whole.
pub(crate) struct Seen {
    pub(crate) standalone: bool,
    pub(crate) visuals: Vec<Visual>,
    pub(crate) whole: Visual,
}

impl<'a> LineFacts<'a> {
    pub(crate) fn of(line: &'a str) -> Self {
        let text = py_strip(line);
        if text.is_empty() {
            return LineFacts { text, seen: None };
        }
        let standalone = is_standalone_line(text);
        let segs = if standalone { vec![text] } else { segments(text) };
        let visuals = visual_lines(line, text, &segs);
        let whole = if visuals.len() == 1 {
            visuals[0].clone()
        } else {
            Visual { text: text.to_string(), indent: visuals[0].indent, width: cells(text), joined: false }
        };
        LineFacts { text, seen: Some(Seen { standalone, visuals, whole }) }
    }
}

type Counter<K> = crate::QuickMap<K, i64>;

fn bump<K: std::hash::Hash + Eq>(counts: &mut Counter<K>, key: K, by: i64) {
    *counts.entry(key).or_insert(0) += by;
}

/// `lines._count_width`.
fn count_width(counts: &mut Counter<i64>, width: f64, text: &str) {
    let cell = floor_half(width);
    if hanging(text) != 0 {
        bump(counts, cell, 1);
        bump(counts, cell - 1, 1);
    } else {
        bump(counts, cell, 2);
    }
}

/// A width (a multiple of half a cell) as a key: its count of half cells.
fn halves(width: f64) -> i64 {
    (2.0 * width) as i64
}

/// `int(x)`: toward zero.
fn trunc(x: f64) -> i64 {
    x.trunc() as i64
}

/// `lines._count_label`: the name of a line that opens with `NAME：`.
pub(crate) fn label_name(text: &str) -> Option<&str> {
    if !text.contains(':') && !text.contains('：') {
        return None;
    }
    let end = text
        .char_indices()
        .find(|&(_, c)| !(is_han(c) || c == '·'))
        .map_or(text.len(), |(i, _)| i);
    let name = &text[..end];
    let n = char_len(name);
    if !(2..=6).contains(&n) {
        return None;
    }
    let rest = text[end..].trim_start_matches(is_hspace);
    (rest.starts_with(':') || rest.starts_with('：')).then_some(name)
}

// --- The tolerances the features use ---------------------------------------------------

/// The fields of `lines.Tolerances` the features read, taken from that object.
#[derive(Clone, Copy, FromPyObject)]
pub(crate) struct Tol {
    #[pyo3(attribute)]
    indent: f64,
    #[pyo3(attribute)]
    hang: f64,
    #[pyo3(attribute)]
    long_line: f64,
    #[pyo3(attribute)]
    width_share: f64,
    #[pyo3(attribute)]
    region_block_lines: i64,
    #[pyo3(attribute)]
    region_width_change: f64,
    #[pyo3(attribute)]
    region_width_ratio: f64,
    #[pyo3(attribute)]
    region_long_blocks: i64,
    #[pyo3(attribute)]
    indent_slack: f64,
    #[pyo3(attribute)]
    paragraph_end_short: f64,
    #[pyo3(attribute)]
    min_first_lines: i64,
    #[pyo3(attribute)]
    measured_votes: i64,
    #[pyo3(attribute)]
    min_width: i64,
    #[pyo3(attribute)]
    max_width: i64,
    #[pyo3(attribute)]
    min_segment_width: i64,
    #[pyo3(attribute)]
    blank_end_share: f64,
    #[pyo3(attribute)]
    indented_share: f64,
    #[pyo3(attribute)]
    short_text_votes: i64,
    #[pyo3(attribute)]
    short_text_agree: i64,
    #[pyo3(attribute)]
    short_text_min_width: i64,
    #[pyo3(attribute)]
    open_gap_share: f64,
}

// --- _RegionTracker --------------------------------------------------------------------

#[derive(Clone)]
struct Block {
    start: i64,
    width: Option<f64>,
    measured: bool,
    long: bool,
    after_end: bool,
}

const HISTORY: usize = 64;

#[derive(Clone)]
struct Regions {
    tol: Tol,
    starts: Vec<i64>,
    line: i64,
    width: Option<f64>,
    since: VecDeque<Block>,
    block_start: i64,
    block: Counter<i64>,
    block_inner: i64,
    block_long: bool,
    last: Option<f64>,
    text: String,
    after_end: bool,
}

impl Regions {
    fn new(tol: Tol) -> Self {
        Regions {
            tol,
            starts: vec![0],
            line: 0,
            width: None,
            since: VecDeque::with_capacity(HISTORY),
            block_start: -1,
            block: Counter::default(),
            block_inner: 0,
            block_long: true,
            last: None,
            text: String::new(),
            after_end: true,
        }
    }

    fn add(&mut self, width: Option<f64>, standalone: bool, text: &str) {
        match width {
            None => {
                if self.block_start >= 0 {
                    self.close();
                }
            }
            Some(width) => {
                if self.block_start < 0 {
                    self.block_start = self.line;
                    self.after_end = self.text.is_empty()
                        || ends_sentence(&self.text)
                        || is_headline_like(&self.text);
                }
                if let Some(last) = self.last {
                    bump(&mut self.block, floor_half(last), 1);
                    self.block_inner += 1;
                }
                self.last = if standalone { None } else { Some(width) };
                self.block_long &= width >= self.tol.long_line;
                self.text.clear();
                self.text.push_str(text);
            }
        }
        self.line += 1;
    }

    fn push(&mut self, block: Block) {
        if self.since.len() == HISTORY {
            self.since.pop_front();
        }
        self.since.push_back(block);
    }

    fn close(&mut self) {
        let block = self.measure();
        self.block_start = -1;
        self.last = None;
        self.block.clear();
        self.block_inner = 0;
        self.block_long = true;
        self.push(block.clone());
        let longs = self.since.iter().filter(|b| b.long).count() as i64;
        if block.long {
            if let Some(width) = self.width {
                if longs >= self.tol.region_long_blocks {
                    self.open(Some(width), true);
                    self.width = None;
                }
            }
        } else if block.measured {
            let bw = block.width.expect("a measured block has a width");
            match self.width {
                None => {
                    if longs >= self.tol.region_long_blocks {
                        self.open(None, false);
                    }
                    self.width = Some(bw);
                }
                Some(width) => {
                    if self.differs(bw, width) {
                        self.open(Some(width), false);
                        self.width = Some(bw);
                    }
                }
            }
            self.since.clear();
            self.push(block);
        }
    }

    fn differs(&self, width: f64, region: f64) -> bool {
        (width - region).abs() > self.tol.region_width_change.max(self.tol.region_width_ratio * region)
    }

    fn open(&mut self, old: Option<f64>, long_blocks: bool) {
        let blocks: Vec<Block> = self.since.iter().cloned().collect();
        let new_width = blocks.last().expect("the block just closed").width;
        let mut keep = 1;
        let inner = if blocks.len() >= 2 { &blocks[1..blocks.len() - 1] } else { &blocks[0..0] };
        for (k, b) in inner.iter().enumerate() {
            let k = k + 1;
            if long_blocks && b.long {
                break;
            }
            let looks_old = match old {
                None => b.long,
                Some(old) => b.width.is_some_and(|w| {
                    !self.differs(w, old) && new_width.is_none_or(|nw| self.differs(w, nw))
                }),
            };
            if looks_old {
                keep = k + 1;
            }
        }
        for b in blocks.iter().skip(keep) {
            if b.after_end {
                if b.start > *self.starts.last().expect("starts holds 0") {
                    self.starts.push(b.start);
                }
                return;
            }
        }
    }

    fn measure(&self) -> Block {
        let mut width = None;
        let mut measured = false;
        if self.block_inner > 0 {
            let mode = self
                .block
                .iter()
                .max_by_key(|&(&w, &n)| (n, w))
                .map(|(&w, _)| w)
                .expect("inner lines were counted");
            let mode_f = mode as f64;
            let near: i64 = self
                .block
                .iter()
                .filter(|&(&w, _)| mode_f - self.tol.indent <= w as f64 && w as f64 <= mode_f + self.tol.hang)
                .map(|(_, &n)| n)
                .sum();
            width = Some(mode_f);
            measured = self.block_inner >= self.tol.region_block_lines
                && near as f64 >= self.tol.width_share * self.block_inner as f64;
        }
        Block {
            start: self.block_start,
            width,
            measured,
            long: self.block_long,
            after_end: self.after_end,
        }
    }

    fn result(&self) -> Vec<i64> {
        if self.block_start < 0 {
            return self.starts.clone();
        }
        let mut last = self.clone();
        last.close();
        last.starts
    }
}

// --- LayoutEvidence._add ---------------------------------------------------------------

/// The per-line features of `textclean.rules.lines.LayoutEvidence`, compiled.
#[pyclass(module = "textclean._engine")]
pub struct LayoutFeatures {
    tol: Tol,
    blocks: i64,
    in_block: bool,
    block_lines: i64,
    open_gaps: i64,
    stopped_mid_sentence: bool,
    cut: Option<Visual>,
    segment_widths: Counter<i64>,
    n_segments: i64,
    names: Counter<String>,
    indented: i64,
    widths: Counter<i64>,
    n_inner: i64,
    ends: Counter<i64>,   // half cells
    commas: Counter<i64>, // half cells
    after_end: Counter<(i64, i64, i64)>,
    first_widths: (i64, i64),
    prose_inner: i64,
    running_inner: i64,
    latin_lines: Counter<(i64, i64)>,
    block_end: Option<Visual>,
    /// Whether `block_end`'s and `pending`'s texts are standalone lines (computed once,
    /// when the line was read).
    block_end_standalone: bool,
    pending_standalone: bool,
    n_lines: i64,
    pending: Option<Visual>,
    seg_ends: Counter<i64>, // half cells
    n_seg_lines: i64,
    /// The last visual line read: whether it ends a sentence, and its full width.
    seg_pending: Option<(bool, f64)>,
    regions: Regions,
}

impl LayoutFeatures {
    pub(crate) fn add_line(&mut self, line: &str) {
        self.add_facts(&LineFacts::of(line));
    }

    /// `add_line` of a line whose facts are known.
    pub(crate) fn add_facts(&mut self, facts: &LineFacts<'_>) {
        let Some(seen) = &facts.seen else {
            self.regions.add(None, false, "");
            if self.in_block {
                if let Some(last) = &self.pending {
                    self.stopped_mid_sentence = !(ends_sentence(&last.text)
                        || (self.block_lines == 1 && is_headline_like(&last.text)));
                    self.cut = if self.stopped_mid_sentence { Some(last.clone()) } else { None };
                }
            }
            self.in_block = false;
            if self.pending.is_some() {
                self.block_end = self.pending.take();
                self.block_end_standalone = self.pending_standalone;
            }
            self.pending = None;
            self.seg_pending = None;
            return;
        };
        let text = facts.text;
        if !self.in_block {
            self.in_block = true;
            if self.blocks > 0 && self.stopped_mid_sentence {
                self.open_gaps += 1;
                if let Some(cut) = &self.cut {
                    count_width(&mut self.widths, cut.width + cut.indent, &cut.text);
                    self.n_inner += 2;
                }
            }
            self.blocks += 1;
            self.block_lines = 0;
        }
        self.block_lines += 1;
        if let Some(name) = label_name(text) {
            bump(&mut self.names, name.to_string(), 1);
        }
        let standalone = seen.standalone;
        let vls = &seen.visuals;
        if vls.len() >= 3 {
            // The line cut into segments: each inner one, as its visual line.
            for seg in &vls[1..vls.len() - 1] {
                count_width(&mut self.segment_widths, seg.width, &seg.text);
            }
            self.n_segments += 2 * (vls.len() as i64 - 2);
        }
        let whole = seen.whole.clone();
        self.regions.add(Some(whole.width + whole.indent), standalone, text);
        if whole.indent > 0.0 {
            self.indented += 1;
        }
        let widths = (trunc(2.0 * whole.width), trunc(2.0 * (whole.width - hanging(text) as f64)));
        if self.block_lines == 1 && whole.indent == 0.0 && !standalone {
            match &self.block_end {
                None if self.n_lines == 0 => {
                    bump(&mut self.after_end, (0, widths.0, widths.1), 1);
                    self.first_widths = widths;
                }
                Some(end) if ends_sentence(&end.text) && !self.block_end_standalone => {
                    let before = trunc(2.0 * (end.width + end.indent));
                    bump(&mut self.after_end, (before, widths.0, widths.1), 1);
                }
                _ => {}
            }
        }
        if let Some(prev) = self.pending.take() {
            if !self.pending_standalone {
                let full = prev.width + prev.indent;
                count_width(&mut self.widths, full, &prev.text);
                self.n_inner += 2;
                let ends = ends_sentence(&prev.text);
                if ends {
                    let first = self.block_lines == 2 && prev.indent == 0.0;
                    bump(&mut self.ends, halves(if first { full + 2.0 } else { full }), 1);
                    if whole.indent == 0.0 && !standalone {
                        bump(&mut self.after_end, (trunc(2.0 * full), widths.0, widths.1), 1);
                    }
                } else if prev.text.chars().next_back().is_some_and(tables::is_mid_clause) {
                    bump(&mut self.commas, halves(full), 1);
                }
                if !ends {
                    if prev.text.chars().any(is_clause_punct) {
                        self.prose_inner += 1;
                        self.running_inner += 1;
                    } else if !prev.text.chars().any(is_strong) || prev.width > self.tol.long_line {
                        self.running_inner += 1;
                    }
                }
                let alnum = if ends || hanging(&prev.text) != 0 { 0 } else { half_width_alnums(&prev.text) };
                if alnum > 0 {
                    let alnum = alnum as f64;
                    bump(&mut self.latin_lines, (trunc(2.0 * full), trunc(2.0 * full + alnum)), 1);
                }
            }
        }
        self.pending = Some(whole);
        self.pending_standalone = standalone;
        self.n_lines += 1;
        for vl in vls {
            if let Some((true, full)) = self.seg_pending {
                bump(&mut self.seg_ends, halves(full), 1);
            }
            self.seg_pending = Some((ends_sentence(&vl.text), vl.width + vl.indent));
        }
        self.n_seg_lines += vls.len() as i64;
    }
}

// --- LayoutEvidence.layout --------------------------------------------------------------

/// `lines._near`: how many of `counts` (keyed by `key` as a width) are about `width`.
fn near<K: Copy>(tol: &Tol, counts: &Counter<K>, key: impl Fn(K) -> f64, width: f64) -> i64 {
    counts
        .iter()
        .filter(|&(&w, _)| width - tol.indent <= key(w) && key(w) <= width + tol.hang)
        .map(|(_, &n)| n)
        .sum()
}

fn cell_key(w: i64) -> f64 {
    w as f64
}

fn half_key(w: i64) -> f64 {
    w as f64 / 2.0
}

fn get(counts: &Counter<i64>, w: i64) -> i64 {
    counts.get(&w).copied().unwrap_or(0)
}

/// The commonest width: `max(counts, key=lambda w: (counts[w], w))`.
fn commonest(counts: &Counter<i64>) -> i64 {
    counts.iter().map(|(&w, &n)| (n, w)).max().map_or(0, |(_, w)| w)
}

/// `lines._mode_width`.
fn mode_width(tol: &Tol, counts: &Counter<i64>, n: i64) -> Option<f64> {
    if n < tol.measured_votes {
        return None;
    }
    let share = tol.width_share * n as f64;
    let mut mode = commonest(counts);
    if (near(tol, counts, cell_key, mode as f64) as f64) < share {
        mode = counts
            .keys()
            .map(|&w| {
                let around = get(counts, w - 2) + get(counts, w - 1) + get(counts, w) + get(counts, w + 1);
                (around, get(counts, w), w)
            })
            .max()
            .map_or(0, |(_, _, w)| w);
    }
    let near_mode = near(tol, counts, cell_key, mode as f64);
    if (near_mode as f64) < share || !(tol.min_width <= mode && mode <= tol.max_width) {
        return None;
    }
    Some(mode as f64)
}

/// `lines._at_room`.
fn at_room(tol: &Tol, line: i64, trimmed: i64, width: f64) -> bool {
    let room = 2.0 * (width - tol.indent);
    (line as f64 - room).abs().min((trimmed as f64 - room).abs()) <= 2.0 * tol.indent_slack
}

/// `lines._short_text_width`.
fn short_text_width(
    tol: &Tol,
    counts: &Counter<i64>,
    n: i64,
    ends: &Counter<i64>,
    prose: i64,
    first: (i64, i64),
) -> Option<f64> {
    if !(tol.short_text_votes <= n && n < tol.measured_votes) || prose == 0 {
        return None;
    }
    let mode = commonest(counts);
    let m = mode as f64;
    let low = m - tol.indent - tol.hang;
    let sum_where = |test: &dyn Fn(f64) -> bool| -> i64 {
        counts.iter().filter(|&(&w, _)| test(w as f64)).map(|(_, &k)| k).sum()
    };
    let near = sum_where(&|w| low <= w && w <= m + tol.hang);
    let mut at_mode = sum_where(&|w| m - tol.hang <= w && w <= m + tol.hang);
    if first.0 >= 0 && at_room(tol, first.0, first.1, m) {
        at_mode += 2;
    }
    let ends_short: i64 = ends.iter().filter(|&(&w, _)| half_key(w) < low).map(|(_, &k)| k).sum();
    if at_mode < tol.short_text_agree || n - near > 2 * ends_short || mode < tol.short_text_min_width {
        return None;
    }
    let all_ends: i64 = ends.values().sum();
    if (3 * all_ends) as f64 > n as f64 / 2.0 {
        return None;
    }
    Some(m)
}

/// `lines._latin_in_half_cells`.
fn latin_in_half_cells(latin_lines: &Counter<(i64, i64)>, width: f64) -> bool {
    let (mut half, mut whole) = (0, 0);
    for (&(as_half, as_whole), &n) in latin_lines {
        half += n * i64::from((as_half as f64 - 2.0 * width).abs() <= 1.0);
        whole += n * i64::from((as_whole as f64 - 2.0 * width).abs() <= 1.0);
    }
    half > whole
}

/// `lines._first_lines_short`.
fn first_lines_short(tol: &Tol, after_end: &Counter<(i64, i64, i64)>, width: f64) -> bool {
    let (mut room, mut full) = (0, 0);
    for (&(before, line, trimmed), &n) in after_end {
        if at_room(tol, line, trimmed, width) {
            room += n;
        } else if (trimmed as f64 - 2.0 * width).abs() <= 2.0 * tol.hang
            && before as f64 <= 2.0 * (width - tol.paragraph_end_short)
        {
            full += n;
        }
    }
    room >= tol.min_first_lines && room >= 2 * full
}

/// The layout's fields, as `lines.Layout` takes them.
pub(crate) type LayoutTuple = (Option<f64>, bool, bool, bool, Vec<String>, bool, bool, bool);

impl LayoutFeatures {
    /// `LayoutEvidence.layout`, read from the counts.
    pub(crate) fn decide(&self) -> LayoutTuple {
        let tol = &self.tol;
        let mut seg_width = mode_width(tol, &self.segment_widths, self.n_segments);
        if seg_width.is_some_and(|w| w < tol.min_segment_width as f64) {
            seg_width = None;
        }
        let (mut width, ends, n_lines) = match seg_width {
            Some(w) => (Some(w), &self.seg_ends, self.n_seg_lines),
            None => {
                let mut width = mode_width(tol, &self.widths, self.n_inner);
                let last = self.pending.as_ref().or(self.block_end.as_ref());
                if width.is_none() && last.is_some_and(|vl| ends_sentence(&vl.text)) {
                    width = short_text_width(
                        tol,
                        &self.widths,
                        self.n_inner,
                        &self.ends,
                        self.prose_inner,
                        self.first_widths,
                    );
                }
                (width, &self.ends, self.n_lines)
            }
        };
        let gaps = self.blocks - 1 - self.open_gaps;
        let inner_ends: i64 = ends
            .iter()
            .filter(|&(&w, _)| width.is_none_or(|width| half_key(w) <= width - 2.0))
            .map(|(_, &n)| n)
            .sum();
        let blank_separated = gaps >= 2 && inner_ends as f64 <= tol.blank_end_share * gaps as f64;
        if let Some(w) = width {
            // _ends_sentences (3 * ends >= 2 * counts / 2, the counts in half-votes),
            // and no line about the width stops at a comma.
            let ends_sentences =
                3 * near(tol, ends, half_key, w) >= near(tol, &self.widths, cell_key, w);
            if seg_width.is_none()
                && !blank_separated
                && ends_sentences
                && near(tol, &self.commas, half_key, w) == 0
            {
                width = None;
            }
        }
        if seg_width.is_none() && width.is_some() && self.running_inner == 0 {
            width = None;
        }
        let indented = (2 <= self.indented && self.indented as f64 <= tol.indented_share * n_lines as f64)
            && !blank_separated;
        let room = width.is_some_and(|w| !indented && first_lines_short(tol, &self.after_end, w));
        let latin_half = width.is_some_and(|w| latin_in_half_cells(&self.latin_lines, w));
        let in_sentences = self.open_gaps >= tol.min_first_lines
            && self.open_gaps as f64 >= tol.open_gap_share * (self.blocks - 1) as f64;
        let mut speakers: Vec<String> =
            self.names.iter().filter(|&(_, &n)| n >= 2).map(|(name, _)| name.clone()).collect();
        speakers.sort();
        (width, blank_separated, indented, seg_width.is_some(), speakers, room, latin_half, in_sentences)
    }
}

fn visual_to_py(py: Python<'_>, vl: &Option<Visual>) -> PyResult<PyObject> {
    Ok(match vl {
        Some(vl) => vl.to_py().into_pyobject(py)?.into_any().unbind(),
        None => py.None(),
    })
}

/// A counter as a dict.
fn counter_dict<'py, K: Copy + IntoPyObject<'py>>(
    py: Python<'py>,
    counts: &Counter<K>,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (&k, &n) in counts {
        d.set_item(k, n)?;
    }
    Ok(d)
}

/// A counter keyed by counts of half cells as a dict keyed by the widths (floats).
fn half_dict<'py>(py: Python<'py>, counts: &Counter<i64>) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (&k, &n) in counts {
        d.set_item(k as f64 / 2.0, n)?;
    }
    Ok(d)
}

#[pymethods]
impl LayoutFeatures {
    /// The features under the tolerances ``tol`` (a `lines.Tolerances`).
    #[new]
    pub(crate) fn new(tol: Tol) -> Self {
        LayoutFeatures {
            tol,
            blocks: 0,
            in_block: false,
            block_lines: 0,
            open_gaps: 0,
            stopped_mid_sentence: false,
            cut: None,
            segment_widths: Counter::default(),
            n_segments: 0,
            names: Counter::default(),
            indented: 0,
            widths: Counter::default(),
            n_inner: 0,
            ends: Counter::default(),
            commas: Counter::default(),
            after_end: Counter::default(),
            first_widths: (-1, -1),
            prose_inner: 0,
            running_inner: 0,
            latin_lines: Counter::default(),
            block_end: None,
            block_end_standalone: false,
            pending_standalone: false,
            n_lines: 0,
            pending: None,
            seg_ends: Counter::default(),
            n_seg_lines: 0,
            seg_pending: None,
            regions: Regions::new(tol),
        }
    }

    /// Count lines (without their line breaks) that follow those counted before.
    fn add(&mut self, lines: Vec<PyBackedStr>) {
        for line in &lines {
            self.add_line(line);
        }
    }

    /// Count the lines of a chunk (`document.lines_of`) that follow those counted
    /// before: `add(lines_of(chunk))` without a Python string per line.
    fn add_text(&mut self, py: Python<'_>, chunk: crate::Text) {
        py.allow_threads(|| {
            for line in lines_of(&chunk) {
                self.add_line(line);
            }
        })
    }

    /// The layout the lines counted so far show (`LayoutEvidence.layout`), as the
    /// fields of `lines.Layout` (the speakers as a list).
    fn layout(&self) -> LayoutTuple {
        self.decide()
    }

    /// Where the regions of the lines counted so far begin.
    pub(crate) fn regions(&self) -> Vec<i64> {
        self.regions.result()
    }

    /// The counts `LayoutEvidence.layout` reads, by the names of its fields
    /// (counters as dicts, visual lines as tuples).
    fn counts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("_blocks", self.blocks)?;
        d.set_item("_open_gaps", self.open_gaps)?;
        d.set_item("_segment_widths", counter_dict(py, &self.segment_widths)?)?;
        d.set_item("_n_segments", self.n_segments)?;
        let names = PyDict::new(py);
        for (k, &n) in &self.names {
            names.set_item(k, n)?;
        }
        d.set_item("_names", names)?;
        d.set_item("_indented", self.indented)?;
        d.set_item("_widths", counter_dict(py, &self.widths)?)?;
        d.set_item("_n_inner", self.n_inner)?;
        d.set_item("_ends", half_dict(py, &self.ends)?)?;
        d.set_item("_commas", half_dict(py, &self.commas)?)?;
        d.set_item("_after_end", counter_dict(py, &self.after_end)?)?;
        d.set_item("_first_widths", self.first_widths)?;
        d.set_item("_prose_inner", self.prose_inner)?;
        d.set_item("_running_inner", self.running_inner)?;
        d.set_item("_latin_lines", counter_dict(py, &self.latin_lines)?)?;
        d.set_item("_block_end", visual_to_py(py, &self.block_end)?)?;
        d.set_item("_n_lines", self.n_lines)?;
        d.set_item("_pending", visual_to_py(py, &self.pending)?)?;
        d.set_item("_seg_ends", half_dict(py, &self.seg_ends)?)?;
        d.set_item("_n_seg_lines", self.n_seg_lines)?;
        Ok(d)
    }
}

/// A visual line to Python: (text, indent, width, joined, line).
type VisualTuple = (String, f64, f64, bool, i64);

/// `lines._tokens_batch`: the visual lines of `lines` (numbered from `first_line`)
/// as (text, indent, width, joined, line), with None for each run of blank lines;
/// `gap` says that the lines before ended in a gap (or that there were none), and
/// the second value whether these end in one.
#[pyfunction]
#[pyo3(signature = (lines, *, column_spaces, first_line, gap))]
pub fn visual_tokens(
    py: Python<'_>,
    lines: Vec<String>,
    column_spaces: bool,
    first_line: i64,
    gap: bool,
) -> (Vec<Option<VisualTuple>>, bool) {
    py.allow_threads(|| {
        let mut gap = gap;
        let mut out = Vec::with_capacity(lines.len());
        for (k, line) in lines.iter().enumerate() {
            let text = py_strip(line);
            if text.is_empty() {
                if !gap {
                    gap = true;
                    out.push(None);
                }
                continue;
            }
            gap = false;
            let number = first_line + k as i64;
            let segs = if column_spaces && !is_standalone_line(text) { segments(text) } else { vec![text] };
            for v in visual_lines(line, text, &segs) {
                out.push(Some((v.text, v.indent, v.width, v.joined, number)));
            }
        }
        (out, gap)
    })
}
