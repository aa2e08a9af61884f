//! The rules the engine has a twin of, to Python: each alone (a function of the
//! rule's name, which `textclean.engine.twin` calls), and a run of them in one call
//! (`InlineRules`, which the pipeline calls for consecutive rules of one step).
//!
//! A rule here is a function of a text that gives `None` where it leaves the text as
//! it was; a text every rule leaves comes back to Python as the same string object.

use crate::{chars, headline, inline, marks, quotes};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyString;

pub(crate) type Rule = fn(&str) -> Option<String>;

// What a text holds, a bit for each kind of character a rule needs to fire: a rule
// leaves a text without any character of its kinds as it was (each kind is what the
// rule's own first test looks for), so a run skips it without a scan of its own.
const SPACE: u32 = 1 << 0; // a horizontal space (cd.HSPACE)
const DIGIT: u32 = 1 << 1; // an ASCII digit
const POINT: u32 = 1 << 2; // . or ．
const FULLWIDTH_ALNUM: u32 = 1 << 3;
const NUMBER_MARK: u32 = 1 << 4; // a mark narrow_number_punctuation narrows
const CLOSING_QUOTE: u32 = 1 << 5; // ”
const STRAIGHT_QUOTE: u32 = 1 << 6; // " or '
const OCR_MARK: u32 = 1 << 7; // 丶 · ・ 一
const LATIN_MARK: u32 = 1 << 8; // a full-width mark narrow_latin_punctuation narrows
const WIDE_MARK: u32 = 1 << 9; // an ASCII mark widen_cjk_punctuation widens
const PAREN: u32 = 1 << 10; // ( or )
const ELLIPSIS_PART: u32 = 1 << 11;
const NAME_DASH: u32 = 1 << 12;
const LETTER_O: u32 = 1 << 13; // O or o
const ODD_BREAK: u32 = 1 << 14; // \r, U+2028, U+2029, a vertical tab, a form feed
const INVISIBLE: u32 = 1 << 15;
const IDEOGRAPH: u32 = 1 << 16; // a radical or compatibility ideograph block
pub(crate) const DASH: u32 = 1 << 17; // cd.DASHES
const BAN: u32 = 1 << 18; // 版
const REPORTER: u32 = 1 << 19; // 记 or 员 (of 记者, 通讯员)
// Kinds the pipeline's own steps test for (pipeline.rs), from the same scan.
pub(crate) const MOJIBAKE: u32 = 1 << 20; // a character of cd.MOJIBAKE_HINT
pub(crate) const COLON: u32 = 1 << 21; // ： or : (of a speaker's label)
pub(crate) const HAN: u32 = 1 << 22; // a Han character (\p{Han})

/// The kinds of a character (the bits above).
fn kinds_of(c: char) -> u32 {
    let tests: [(bool, u32); 23] = [
        (crate::layout::is_hspace(c), SPACE),
        (c.is_ascii_digit(), DIGIT),
        (c == '.' || c == '．', POINT),
        (inline::mapped(crate::tables::FOLD_ALNUM, c).is_some(), FULLWIDTH_ALNUM),
        (inline::mapped(crate::tables::NARROW_NUMBER, c).is_some(), NUMBER_MARK),
        (c == '\u{201d}', CLOSING_QUOTE),
        (c == '"' || c == '\'', STRAIGHT_QUOTE),
        (matches!(c, '丶' | '·' | '・' | '一'), OCR_MARK),
        (inline::mapped(crate::tables::LATIN_MARKS, c).is_some(), LATIN_MARK),
        (crate::tables::is_wide_mark(c), WIDE_MARK),
        (c == '(' || c == ')', PAREN),
        (crate::tables::is_ellipsis_part(c), ELLIPSIS_PART),
        (crate::tables::is_name_dash(c), NAME_DASH),
        (c == 'O' || c == 'o', LETTER_O),
        (matches!(c, '\r' | '\u{2028}' | '\u{2029}' | '\u{0b}' | '\u{0c}'), ODD_BREAK),
        (chars::is_invisible(c), INVISIBLE),
        (inline::maybe_ideograph(c), IDEOGRAPH),
        (crate::tables::is_dash(c), DASH),
        (c == '版', BAN),
        (c == '记' || c == '员', REPORTER),
        (crate::pipeline::is_mojibake_hint(c), MOJIBAKE),
        (c == '：' || c == ':', COLON),
        (crate::layout::is_han(c), HAN),
    ];
    tests.iter().filter(|(holds, _)| *holds).fold(0, |kinds, (_, bit)| kinds | bit)
}

/// The kinds of the characters of a text: a table for the Basic Multilingual Plane,
/// built on first use.
pub(crate) fn kinds_in(text: &str) -> u32 {
    static BMP: std::sync::OnceLock<Box<[u32]>> = std::sync::OnceLock::new();
    let table = BMP.get_or_init(|| {
        (0..0x10000u32).map(|cp| char::from_u32(cp).map_or(0, kinds_of)).collect()
    });
    let mut kinds = 0;
    for c in text.chars() {
        kinds |= match table.get(c as usize) {
            Some(&k) => k,
            None => kinds_of(c),
        };
    }
    kinds
}

/// Every rule with a twin, by its Python name, with the kinds of character it needs.
const RULES: &[(&str, Rule, u32)] = &[
    ("normalize_line_breaks", chars::normalize_line_breaks, ODD_BREAK),
    ("remove_invisible_chars", chars::remove_invisible_chars, INVISIBLE),
    ("map_compatibility_ideographs", inline::map_compatibility_ideographs, IDEOGRAPH),
    ("restore_yi_from_dash", marks::restore_yi_from_dash, DASH),
    ("remove_continuation_markers", headline::remove_continuation_markers, BAN),
    ("split_headline_block", headline::split_headline_block, REPORTER),
    ("normalize_spaces", inline::normalize_spaces, SPACE),
    ("fold_fullwidth_alnum", marks::fold_fullwidth_alnum, FULLWIDTH_ALNUM),
    ("narrow_number_punctuation", marks::narrow_number_punctuation, NUMBER_MARK),
    ("turn_ocr_quotes", quotes::turn_ocr_quotes, CLOSING_QUOTE),
    ("pair_straight_quotes", quotes::pair_straight_quotes, STRAIGHT_QUOTE),
    ("restore_ocr_marks", marks::restore_ocr_marks, OCR_MARK),
    ("narrow_latin_punctuation", marks::narrow_latin_punctuation, LATIN_MARK),
    ("widen_cjk_punctuation", inline::widen_cjk_punctuation, WIDE_MARK),
    ("widen_cjk_parentheses", marks::widen_cjk_parentheses, PAREN),
    ("normalize_ellipses_and_dashes", inline::normalize_ellipses_and_dashes, ELLIPSIS_PART),
    ("join_names_with_dash", marks::join_names_with_dash, NAME_DASH),
    ("collapse_spaced_digits", inline::collapse_spaced_digits, DIGIT | POINT),
    ("join_spaced_number_parts", inline::join_spaced_number_parts, DIGIT),
    ("join_spaced_capitals", marks::join_spaced_capitals, SPACE),
    ("repair_o_in_numbers", marks::repair_o_in_numbers, LETTER_O),
    ("remove_cjk_spaces", inline::remove_cjk_spaces, SPACE),
];

pub(crate) fn rule_named(name: &str) -> Option<(Rule, u32)> {
    RULES.iter().find(|(known, _, _)| *known == name).map(|&(_, rule, kinds)| (rule, kinds))
}

/// The names of the rules with a twin.
#[pyfunction]
pub fn twin_names() -> Vec<&'static str> {
    RULES.iter().map(|&(name, _, _)| name).collect()
}

fn run_one<'py>(name: &str, text: &Bound<'py, PyString>) -> PyResult<Bound<'py, PyString>> {
    let (rule, _) = rule_named(name).expect("a rule of the table");
    let py = text.py();
    let whole = crate::Text::of(text)?;
    let whole: &str = &whole;
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
    remove_continuation_markers,
    split_headline_block,
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
    rules: Vec<(Rule, u32)>,
}

#[pymethods]
impl InlineRules {
    #[new]
    fn new(names: Vec<String>) -> PyResult<Self> {
        let rules = names
            .iter()
            .map(|name| rule_named(name).ok_or_else(|| PyValueError::new_err(format!("no twin of {name}"))))
            .collect::<PyResult<Vec<(Rule, u32)>>>()?;
        Ok(Self { rules })
    }

    /// The text after every rule, and the positions (in the list of names) of the
    /// rules that changed it.
    fn apply<'py>(&self, text: &Bound<'py, PyString>) -> PyResult<(Bound<'py, PyString>, Vec<usize>)> {
        let py = text.py();
        let whole = crate::Text::of(text)?;
        let whole: &str = &whole;
        let (out, changed) = py.allow_threads(|| {
            let mut now: Option<String> = None;
            let mut changed = Vec::new();
            // The kinds of character the text holds, taken again after a change.
            let mut kinds: Option<u32> = None;
            for (k, &(rule, needs)) in self.rules.iter().enumerate() {
                let current = now.as_deref().unwrap_or(whole);
                if *kinds.get_or_insert_with(|| kinds_in(current)) & needs == 0 {
                    continue;
                }
                if let Some(out) = rule(current).filter(|out| out != current) {
                    now = Some(out);
                    changed.push(k);
                    kinds = None;
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
