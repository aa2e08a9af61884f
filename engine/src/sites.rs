//! The look-alike repair's site finding, compiled: `context._lookalike_sites` and
//! each site's `context._window` as the text stands (`tests/test_engine.py` holds
//! them equal to the Python ones). The decisions stay in Python.

use crate::layout::is_han;
use pyo3::prelude::*;
use std::collections::{HashMap, HashSet};

/// `context._candidates()`, held by the engine: for each damaged character, the
/// characters that may stand before it and after it.
#[pyclass(frozen, module = "textclean._engine")]
pub struct LookalikeSites {
    table: HashMap<char, (HashSet<char>, HashSet<char>)>,
    context: usize,
}

#[pymethods]
impl LookalikeSites {
    #[new]
    fn new(table: HashMap<char, (String, String)>, context: usize) -> Self {
        let table = table
            .into_iter()
            .map(|(damaged, (before, after))| (damaged, (before.chars().collect(), after.chars().collect())))
            .collect();
        LookalikeSites { table, context }
    }

    /// Each site, left to right: its position, and the window around it as the text
    /// stands, with where the site is in the window.
    fn sites(&self, py: Python<'_>, text: &str) -> Vec<(usize, String, usize)> {
        py.allow_threads(|| {
            let s: Vec<char> = text.chars().collect();
            let mut out = Vec::new();
            for (i, &c) in s.iter().enumerate() {
                let Some((before, after)) = self.table.get(&c) else {
                    continue;
                };
                let beside = (i > 0 && before.contains(&s[i - 1]))
                    || s.get(i + 1).is_some_and(|next| after.contains(next));
                if !beside {
                    continue;
                }
                let start = i.saturating_sub(self.context);
                let left = s[start..i].iter().rev().take_while(|&&c| is_han(c)).count();
                let end = s.len().min(i + 1 + self.context);
                let right = s[i + 1..end].iter().take_while(|&&c| is_han(c)).count();
                out.push((i, s[i - left..i + 1 + right].iter().collect(), left));
            }
            out
        })
    }
}
