//! Two line rules of the layout phase, compiled: `lines.remove_continuation_markers`
//! and `lines.split_headline_block`, with the Python patterns (generated into
//! `tables.rs`).

use crate::inline::by_line;
use crate::tables;
use std::borrow::Cow;

pattern!(marker, tables::CONTINUATION_MARKER);
pattern!(
    /// `lines._RUN_ON_HEADLINE` on one line, without its closing lookbehind
    /// (`run_on_headline_without_lookbehind`): the line must not end with 摄 or 图.
    run_on_headline, tables::RUN_ON_HEADLINE
);

/// `lines.remove_continuation_markers`.
pub(crate) fn remove_continuation_markers(text: &str) -> Option<String> {
    if !text.contains('版') {
        return None;
    }
    match marker().replace_all(text, "") {
        Cow::Borrowed(_) => None,
        Cow::Owned(out) => Some(out),
    }
}

fn names_reporter(text: &str) -> bool {
    text.contains("记者") || text.contains("通讯员")
}

/// `lines.split_headline_block`.
pub(crate) fn split_headline_block(text: &str) -> Option<String> {
    if !names_reporter(text) {
        return None;
    }
    by_line(text, |line, out| {
        let caps = (names_reporter(line) && !line.ends_with(['摄', '图']))
            .then(|| run_on_headline().captures(line))
            .flatten();
        let Some(caps) = caps else {
            out.push_str(line);
            return;
        };
        let part = |name: &str| caps.name(name).map_or("", |m| m.as_str());
        let title = part("title").trim_end_matches(tables::is_hspace);
        let mut first = true;
        for piece in [title, part("sub"), part("byline")] {
            if piece.is_empty() {
                continue;
            }
            if !first {
                out.push('\n');
            }
            out.push_str(piece);
            first = false;
        }
    })
}
