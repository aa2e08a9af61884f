//! The rules the engine has a twin of, to Python: each alone (a function of the
//! rule's name, which `textclean.engine.twin` calls), and a run of them in one call
//! (`InlineRules`, which the pipeline calls for consecutive rules of one step).
//!
//! A rule here is a function of a text that gives `None` where it leaves the text as
//! it was; a text every rule leaves comes back to Python as the same string object.

use crate::{chars, inline, marks, quotes};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyString;

type Rule = fn(&str) -> Option<String>;

/// Every rule with a twin, by its Python name.
const RULES: &[(&str, Rule)] = &[
    ("normalize_line_breaks", chars::normalize_line_breaks),
    ("remove_invisible_chars", chars::remove_invisible_chars),
    ("map_compatibility_ideographs", inline::map_compatibility_ideographs),
    ("restore_yi_from_dash", marks::restore_yi_from_dash),
    ("normalize_spaces", inline::normalize_spaces),
    ("fold_fullwidth_alnum", marks::fold_fullwidth_alnum),
    ("narrow_number_punctuation", marks::narrow_number_punctuation),
    ("turn_ocr_quotes", quotes::turn_ocr_quotes),
    ("pair_straight_quotes", quotes::pair_straight_quotes),
    ("restore_ocr_marks", marks::restore_ocr_marks),
    ("narrow_latin_punctuation", marks::narrow_latin_punctuation),
    ("widen_cjk_punctuation", inline::widen_cjk_punctuation),
    ("widen_cjk_parentheses", marks::widen_cjk_parentheses),
    ("normalize_ellipses_and_dashes", inline::normalize_ellipses_and_dashes),
    ("join_names_with_dash", marks::join_names_with_dash),
    ("collapse_spaced_digits", inline::collapse_spaced_digits),
    ("join_spaced_number_parts", inline::join_spaced_number_parts),
    ("join_spaced_capitals", marks::join_spaced_capitals),
    ("repair_o_in_numbers", marks::repair_o_in_numbers),
    ("remove_cjk_spaces", inline::remove_cjk_spaces),
];

fn rule_named(name: &str) -> Option<Rule> {
    RULES.iter().find(|(known, _)| *known == name).map(|&(_, rule)| rule)
}

/// The names of the rules with a twin.
#[pyfunction]
pub fn twin_names() -> Vec<&'static str> {
    RULES.iter().map(|&(name, _)| name).collect()
}

fn run_one<'py>(name: &str, text: &Bound<'py, PyString>) -> PyResult<Bound<'py, PyString>> {
    let rule = rule_named(name).expect("a rule of the table");
    let py = text.py();
    let whole = text.to_str()?;
    Ok(match py.allow_threads(|| rule(whole)) {
        Some(out) => PyString::new(py, &out),
        None => text.clone(),
    })
}

/// A pyfunction for each rule: its twin alone.
macro_rules! twins {
    ($($name:ident),* $(,)?) => {
        $(
            #[pyfunction]
            pub fn $name<'py>(text: &Bound<'py, PyString>) -> PyResult<Bound<'py, PyString>> {
                run_one(stringify!($name), text)
            }
        )*
        pub(crate) fn add_twins(m: &Bound<'_, PyModule>) -> PyResult<()> {
            $(m.add_function(wrap_pyfunction!($name, m)?)?;)*
            Ok(())
        }
    };
}

twins!(
    normalize_line_breaks,
    remove_invisible_chars,
    map_compatibility_ideographs,
    restore_yi_from_dash,
    normalize_spaces,
    fold_fullwidth_alnum,
    narrow_number_punctuation,
    turn_ocr_quotes,
    pair_straight_quotes,
    restore_ocr_marks,
    narrow_latin_punctuation,
    widen_cjk_punctuation,
    widen_cjk_parentheses,
    normalize_ellipses_and_dashes,
    join_names_with_dash,
    collapse_spaced_digits,
    join_spaced_number_parts,
    join_spaced_capitals,
    repair_o_in_numbers,
    remove_cjk_spaces,
);

/// Rules run one after another over a text in one call, as the Python step runs
/// them: each sees what the one before it gave.
#[pyclass(frozen)]
pub struct InlineRules {
    rules: Vec<Rule>,
}

#[pymethods]
impl InlineRules {
    #[new]
    fn new(names: Vec<String>) -> PyResult<Self> {
        let rules = names
            .iter()
            .map(|name| rule_named(name).ok_or_else(|| PyValueError::new_err(format!("no twin of {name}"))))
            .collect::<PyResult<Vec<Rule>>>()?;
        Ok(Self { rules })
    }

    /// The text after every rule, and the positions (in the list of names) of the
    /// rules that changed it.
    fn apply<'py>(&self, text: &Bound<'py, PyString>) -> PyResult<(Bound<'py, PyString>, Vec<usize>)> {
        let py = text.py();
        let whole = text.to_str()?;
        let (out, changed) = py.allow_threads(|| {
            let mut now: Option<String> = None;
            let mut changed = Vec::new();
            for (k, rule) in self.rules.iter().enumerate() {
                let current = now.as_deref().unwrap_or(whole);
                if let Some(out) = rule(current).filter(|out| out != current) {
                    now = Some(out);
                    changed.push(k);
                }
            }
            (now, changed)
        });
        let out = match out {
            Some(out) => PyString::new(py, &out),
            None => text.clone(),
        };
        Ok((out, changed))
    }
}
