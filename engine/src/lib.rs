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

mod columns;
mod furniture;
mod inline;
mod layout;
mod lexicon;
mod lm;
mod paragraphs;
mod tables;

/// The engine's version, which `textclean --version` reports.
const VERSION: &str = env!("CARGO_PKG_VERSION");

#[pymodule]
fn _engine(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", VERSION)?;
    m.add_class::<lm::TrigramModel>()?;
    m.add_class::<layout::LayoutFeatures>()?;
    m.add_class::<lexicon::Lexicon>()?;
    m.add_class::<paragraphs::Paragraphs>()?;
    m.add_function(wrap_pyfunction!(columns::reorder_columns, m)?)?;
    m.add_function(wrap_pyfunction!(layout::visual_tokens, m)?)?;
    m.add_function(wrap_pyfunction!(columns::column_segments, m)?)?;
    m.add_function(wrap_pyfunction!(furniture::header_lines, m)?)?;
    m.add_function(wrap_pyfunction!(inline::remove_cjk_spaces, m)?)?;
    m.add_function(wrap_pyfunction!(inline::join_spaced_number_parts, m)?)?;
    m.add_function(wrap_pyfunction!(inline::map_compatibility_ideographs, m)?)?;
    m.add_function(wrap_pyfunction!(furniture::remove_furniture, m)?)?;
    Ok(())
}
