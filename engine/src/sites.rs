//! The look-alike repair's site finding, compiled: `context._lookalike_sites`, for
//! `context.rs` (which decides each site).

use crate::{QuickMap, QuickSet};
use std::collections::HashMap;

/// `context._candidates()`: for each damaged character, the characters that may
/// stand before it and after it.
pub(crate) struct SiteTable(QuickMap<char, (QuickSet<char>, QuickSet<char>)>);

impl SiteTable {
    pub(crate) fn new(table: HashMap<char, (String, String)>) -> Self {
        SiteTable(
            table
                .into_iter()
                .map(|(damaged, (before, after))| (damaged, (before.chars().collect(), after.chars().collect())))
                .collect(),
        )
    }
}

/// `context._lookalike_sites`: where a damaged character stands beside a character
/// its repair forms a word with, left to right.
pub(crate) fn sites_in<'a>(table: &'a SiteTable, s: &'a [char]) -> impl Iterator<Item = usize> + 'a {
    s.iter().enumerate().filter_map(move |(i, c)| {
        let (before, after) = table.0.get(c)?;
        ((i > 0 && before.contains(&s[i - 1])) || s.get(i + 1).is_some_and(|next| after.contains(next)))
            .then_some(i)
    })
}
