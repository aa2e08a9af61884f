//! textclean's compiled engine (`textclean._engine`).
//!
//! The Python rules are the specification: each part here computes exactly what a
//! Python function of textclean computes, and `tests/test_engine.py` holds the two
//! equal. The tables come from Python (read from `textclean/data/` by the Python
//! loader), so the engine carries no copy of its own.

use pyo3::prelude::*;

/// A function returning a generated pattern (tables.rs), compiled on first use.
macro_rules! pattern {
    ($(#[$doc:meta])* $vis:vis $name:ident, $source:expr) => {
        $(#[$doc])*
        $vis fn $name() -> &'static regex::Regex {
            static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
            RE.get_or_init(|| regex::Regex::new(&$source).expect("a generated pattern"))
        }
    };
}

/// A function testing a character against a generated table of ranges (tables.rs):
/// a bit per code point of the Basic Multilingual Plane, built on first use, and a
/// binary search of the ranges above it.
macro_rules! class {
    ($(#[$doc:meta])* $vis:vis $name:ident, $table:expr) => {
        $(#[$doc])*
        #[inline]
        $vis fn $name(c: char) -> bool {
            static BMP: std::sync::OnceLock<Box<[u64; 1024]>> = std::sync::OnceLock::new();
            let cp = c as u32;
            if cp < 0x10000 {
                let bits = BMP.get_or_init(|| crate::bmp_bits($table));
                (bits[(cp >> 6) as usize] >> (cp & 63)) & 1 == 1
            } else {
                crate::layout::in_ranges(c, $table)
            }
        }
    };
}

/// The code points below U+10000 of `ranges`, one bit each.
fn bmp_bits(ranges: &[(u32, u32)]) -> Box<[u64; 1024]> {
    let mut bits = Box::new([0u64; 1024]);
    for &(a, b) in ranges {
        for cp in a..=b.min(0xFFFF) {
            bits[(cp >> 6) as usize] |= 1 << (cp & 63);
        }
    }
    bits
}

/// A hasher for the engine's own small keys (widths, counts): a multiply and a
/// rotate a word, where the standard library's SipHash guards against keys an
/// attacker picks, which counts of a document's line widths do not need. Nothing
/// the engine computes depends on a map's order, only on its contents.
#[derive(Default, Clone, Copy)]
pub(crate) struct QuickHasher(u64);

impl QuickHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl std::hash::Hasher for QuickHasher {
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            self.add(u64::from_le_bytes(word.try_into().expect("eight bytes")));
        }
        for &b in words.remainder() {
            self.add(u64::from(b));
        }
    }

    #[inline]
    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    #[inline]
    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    #[inline]
    fn write_i64(&mut self, n: i64) {
        self.add(n as u64);
    }

    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
}

/// A Python str's text as UTF-8, encoded for the call and owned by it. Taking a
/// `&str` from Python (or `PyString::to_str`) leaves a UTF-8 copy cached inside the
/// str object for as long as it lives: for Chinese text 1.5 times the text again, in
/// the caller's memory, for every document a pipeline has cleaned and still holds.
pub(crate) struct Text(String);

impl<'py> FromPyObject<'py> for Text {
    fn extract_bound(ob: &Bound<'py, PyAny>) -> PyResult<Self> {
        Text::of(ob.downcast::<pyo3::types::PyString>()?)
    }
}

impl Text {
    pub(crate) fn of(text: &Bound<'_, pyo3::types::PyString>) -> PyResult<Self> {
        use pyo3::types::{PyBytesMethods, PyStringMethods};
        let bytes = text.encode_utf8()?; // UnicodeEncodeError for a lone surrogate
        // SAFETY: CPython's strict UTF-8 encoder gives valid UTF-8 or the error above
        // (a lone surrogate is the only code point it cannot encode); validating its
        // output again cost 1% of a clean.
        let utf8 = unsafe { std::str::from_utf8_unchecked(bytes.as_bytes()) };
        Ok(Text(utf8.to_owned()))
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

/// A map with [`QuickHasher`].
pub(crate) type QuickMap<K, V> =
    std::collections::HashMap<K, V, std::hash::BuildHasherDefault<QuickHasher>>;

/// A set with [`QuickHasher`].
pub(crate) type QuickSet<K> = std::collections::HashSet<K, std::hash::BuildHasherDefault<QuickHasher>>;

mod chars;
mod columns;
mod context;
mod documents;
mod furniture;
mod headline;
mod inline;
mod layout;
mod lexicon;
mod lm;
mod marks;
mod paragraphs;
mod pipeline;
mod quotes;
mod sites;
mod tables;
mod turns;
mod twins;

/// The engine's version, which `textclean --version` reports.
const VERSION: &str = env!("CARGO_PKG_VERSION");

#[pymodule]
fn _engine(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", VERSION)?;
    m.add_class::<lm::TrigramModel>()?;
    m.add_class::<layout::LayoutFeatures>()?;
    m.add_class::<lexicon::Lexicon>()?;
    m.add_class::<paragraphs::Paragraphs>()?;
    m.add_class::<context::ContextRules>()?;
    m.add_class::<pipeline::Pipeline>()?;
    m.add_class::<twins::InlineRules>()?;
    m.add_function(wrap_pyfunction!(twins::twin_names, m)?)?;
    twins::add_twins(m)?;
    m.add_function(wrap_pyfunction!(columns::reorder_columns, m)?)?;
    m.add_function(wrap_pyfunction!(layout::visual_tokens, m)?)?;
    m.add_function(wrap_pyfunction!(columns::column_segments, m)?)?;
    m.add_function(wrap_pyfunction!(furniture::header_lines, m)?)?;
    m.add_function(wrap_pyfunction!(furniture::remove_furniture, m)?)?;
    m.add_function(wrap_pyfunction!(turns::split_turns, m)?)?;
    m.add_function(wrap_pyfunction!(turns::count_name_labels, m)?)?;
    Ok(())
}
