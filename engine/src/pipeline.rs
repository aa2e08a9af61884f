//! The default pipeline in one call: `textclean.pipeline.Cleaner._run` over a short
//! text (one chunk, `TextDoc`), every step compiled.
//!
//! Phases run in order, each until an attempt over its rules changes nothing (at most
//! `passes` attempts; the output phase once), and the whole run again until a run
//! leaves the text as it found it, as the Python runner does. A rule that left a
//! text as it was is not asked about that text again (the rules are pure, so the
//! answer would be the same): the Python runner's `settled`.
//!
//! Two steps call back into Python: repair_mojibake (ftfy), only for a text with a
//! character of its hint, and the context rules' lexicon and model, fetched on the
//! first text that has a candidate for them. `clean` gives None where it cannot take
//! a text (the engine's lexicon or model is not there): the Python runner cleans it.

use crate::context::{lookalike_hint, ContextRules};
use crate::documents::{self, LayoutTols};
use crate::layout::{is_han, is_py_space};
use crate::tables;
use crate::twins::{kinds_in, rule_named, Rule, COLON, DASH, HAN, MOJIBAKE};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyString;

class!(pub(crate) is_mojibake_hint, tables::MOJIBAKE_HINT);

#[derive(Clone, Copy)]
enum Step {
    Twin(Rule, u32),
    /// repair_surrogates: a text with a UTF-8 form has no surrogate.
    Nothing,
    Mojibake,
    Columns,
    Furniture,
    Join,
    Rejoin,
    Turns,
    YiInWords,
    Lookalikes,
}

fn step_named(name: &str) -> Option<Step> {
    Some(match name {
        "repair_surrogates" => Step::Nothing,
        "repair_mojibake" => Step::Mojibake,
        "read_columns_in_order" => Step::Columns,
        "remove_page_furniture" => Step::Furniture,
        "join_wrapped_lines" => Step::Join,
        "rejoin_split_words" => Step::Rejoin,
        "restore_turn_breaks" => Step::Turns,
        "restore_yi_in_words" => Step::YiInWords,
        "repair_lookalikes" => Step::Lookalikes,
        _ => {
            let (rule, kinds) = rule_named(name)?;
            Step::Twin(rule, kinds)
        }
    })
}

/// `context._SPLIT_CANDIDATE`: a line break with a Han character before it and one
/// after it, only white space (of a line) between.
fn has_split_candidate(text: &str) -> bool {
    let line_space = |c: char| c != '\n' && is_py_space(c);
    text.match_indices('\n').any(|(i, _)| {
        text[..i].chars().rev().find(|&c| !line_space(c)).is_some_and(is_han)
            && text[i + 1..].chars().find(|&c| !line_space(c)).is_some_and(is_han)
    })
}

/// `context._DASH_IN_WORD`: a dash between two Han characters.
fn has_dash_in_word(text: &str) -> bool {
    let mut chars = text.chars();
    let (Some(mut a), Some(mut b)) = (chars.next(), chars.next()) else {
        return false;
    };
    for c in chars {
        if tables::is_dash(b) && is_han(a) && is_han(c) {
            return true;
        }
        (a, b) = (b, c);
    }
    false
}

#[pyclass(frozen, module = "textclean._engine")]
pub struct Pipeline {
    /// Each phase's rules (name, step), and whether the phase runs to a fixed point.
    phases: Vec<(Vec<(String, Step)>, bool)>,
    passes: usize,
    tols: LayoutTols,
    /// `context.compiled_rules`: the engine's context rules, or None.
    context: Py<PyAny>,
    /// `characters.repair_mojibake`.
    mojibake: Py<PyAny>,
    /// The damaged characters of the look-alike table (`_LOOKALIKE_HINT`), sorted.
    damaged: Vec<char>,
}

/// What one clean holds: the context rules once fetched.
struct Run<'a, 'py> {
    pipeline: &'a Pipeline,
    py: Python<'py>,
    context: Option<Py<ContextRules>>,
    /// The context rules were asked for and are not there.
    refused: bool,
}

impl Run<'_, '_> {
    /// The context rules, fetched on first need; `Stop::Refused` where they are not there.
    fn context(&mut self) -> Result<&ContextRules, Stop> {
        if self.context.is_none() && !self.refused {
            let got = self.pipeline.context.call0(self.py)?;
            if got.is_none(self.py) {
                self.refused = true;
            } else {
                self.context = Some(got.extract(self.py)?);
            }
        }
        self.context.as_ref().map(|c| c.get()).ok_or(Stop::Refused)
    }

    /// A step's text, or None where it leaves `text` as it was.
    fn apply(&mut self, step: Step, text: &str, kinds: &mut Option<u32>) -> Result<Option<String>, Stop> {
        let tols = self.pipeline.tols;
        // The kinds of character the text holds, from one scan of it for all steps.
        let mut holds = |wanted: u32| *kinds.get_or_insert_with(|| kinds_in(text)) & wanted != 0;
        Ok(match step {
            Step::Twin(rule, needs) => {
                if !holds(needs) {
                    return Ok(None);
                }
                rule(text)
            }
            Step::Nothing => None,
            Step::Mojibake => {
                if !holds(MOJIBAKE) {
                    return Ok(None);
                }
                let out = self.pipeline.mojibake.call1(self.py, (text,))?;
                Some(out.extract::<String>(self.py)?)
            }
            Step::Columns => {
                if !documents::side_by_side(text) {
                    return Ok(None);
                }
                // The lexicon reads the words across a band's cuts.
                documents::read_columns_in_order(text, self.context()?.lexicon())
            }
            Step::Furniture => documents::remove_page_furniture(text),
            Step::Join => documents::join_wrapped_lines(&tols, text),
            Step::Turns => {
                if !holds(COLON) {
                    return Ok(None);
                }
                documents::restore_turn_breaks(text)
            }
            Step::Rejoin => {
                if !holds(HAN) || !has_split_candidate(text) {
                    return Ok(None);
                }
                Some(self.context()?.rejoin_split_words(text))
            }
            Step::YiInWords => {
                if !holds(DASH) || !holds(HAN) || !has_dash_in_word(text) {
                    return Ok(None);
                }
                Some(self.context()?.restore_yi_in_words(text))
            }
            Step::Lookalikes => {
                let damaged = &self.pipeline.damaged;
                if !holds(HAN) || !lookalike_hint(text, |c| damaged.binary_search(&c).is_ok()) {
                    return Ok(None);
                }
                Some(self.context()?.repair_lookalikes(text))
            }
        }
        .filter(|out| out != text))
    }
}

/// Why a clean stopped: the context rules are not there (the text goes back to the
/// Python runner), or a call into Python failed.
enum Stop {
    Refused,
    Failed(PyErr),
}

impl From<PyErr> for Stop {
    fn from(err: PyErr) -> Self {
        Stop::Failed(err)
    }
}

#[pymethods]
impl Pipeline {
    /// ``phases``: each phase's rule names in order, and whether it runs to a fixed
    /// point (all but the output phase); ``passes``: `pipeline.MAX_PASSES`; ``tol``:
    /// `lines.TOL`; ``context``: `context.compiled_rules`; ``mojibake``:
    /// `characters.repair_mojibake`; ``damaged``: the look-alike table's damaged
    /// characters. A rule the engine cannot run is refused (ValueError).
    #[new]
    #[pyo3(signature = (phases, *, passes, tol, context, mojibake, damaged))]
    fn new(
        phases: Vec<(Vec<String>, bool)>,
        passes: usize,
        tol: &Bound<'_, PyAny>,
        context: Py<PyAny>,
        mojibake: Py<PyAny>,
        damaged: &str,
    ) -> PyResult<Self> {
        let phases = phases
            .into_iter()
            .map(|(names, settles)| {
                let steps = names
                    .into_iter()
                    .map(|name| match step_named(&name) {
                        Some(step) => Ok((name, step)),
                        None => Err(PyValueError::new_err(format!("the engine cannot run {name}"))),
                    })
                    .collect::<PyResult<Vec<_>>>()?;
                Ok((steps, settles))
            })
            .collect::<PyResult<Vec<_>>>()?;
        Ok(Pipeline {
            phases,
            passes,
            tols: LayoutTols { features: tol.extract()?, paragraphs: tol.extract()? },
            context,
            mojibake,
            damaged: {
                let mut chars: Vec<char> = damaged.chars().collect();
                chars.sort_unstable();
                chars
            },
        })
    }

    /// The clean text, and for each phase that did not settle (its position) the
    /// rules still changing it in its last attempt; None where the engine cannot
    /// take the text.
    #[allow(clippy::type_complexity)]
    fn clean<'py>(
        &self,
        text: &Bound<'py, PyString>,
    ) -> PyResult<Option<(Bound<'py, PyString>, Vec<(usize, Vec<String>)>)>> {
        let py = text.py();
        let whole = crate::Text::of(text)?;
        let whole: &str = &whole;
        let mut run = Run { pipeline: self, py, context: None, refused: false };
        let mut now: Option<String> = None;
        // Each text the document has been, by number; `settled[k]` is the number of
        // the text rule k (counted over all phases) last left as it was.
        let mut version = 0usize;
        let total: usize = self.phases.iter().map(|(steps, _)| steps.len()).sum();
        let mut settled: Vec<Option<usize>> = vec![None; total];
        // The kinds of the text now (one scan a text version, for every step of every
        // phase and attempt that reads the same text); None once a step changes it.
        let mut kinds: Option<u32> = None;
        let mut warnings = Vec::new();
        for _ in 0..self.passes {
            let before = now.clone();
            let mut first_rule = 0;
            for (p, (steps, settles)) in self.phases.iter().enumerate() {
                let mut changed_by: Vec<usize> = Vec::new();
                let mut done = false;
                for _ in 0..self.passes {
                    changed_by.clear();
                    for (k, &(_, step)) in steps.iter().enumerate() {
                        let id = first_rule + k;
                        if settled[id] == Some(version) {
                            continue;
                        }
                        let current = now.as_deref().unwrap_or(whole);
                        match run.apply(step, current, &mut kinds) {
                            Ok(Some(out)) => {
                                now = Some(out);
                                version += 1;
                                kinds = None;
                                changed_by.push(k);
                            }
                            Ok(None) => settled[id] = Some(version),
                            Err(Stop::Refused) => return Ok(None),
                            Err(Stop::Failed(err)) => return Err(err),
                        }
                    }
                    if changed_by.is_empty() || !settles {
                        done = true;
                        break;
                    }
                }
                if !done {
                    warnings.push((p, changed_by.iter().map(|&k| steps[k].0.clone()).collect()));
                }
                first_rule += steps.len();
            }
            if now == before {
                break;
            }
        }
        let out = match now {
            Some(out) if out != whole => PyString::new(py, &out),
            _ => text.clone(),
        };
        Ok(Some((out, warnings)))
    }
}
