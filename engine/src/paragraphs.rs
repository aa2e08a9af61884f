//! The layout phase's decisions: `textclean.rules.lines.iter_paragraphs` and the
//! clauses it asks (`decide_within_block`, `decide_across_gap` and their helpers),
//! compiled.
//!
//! Each function here is the Python one of the same name, clause for clause and in
//! the same order, so that the same clause decides; the Python functions are the
//! specification (`tests/test_engine.py` holds the two equal). The Python generator
//! reads lines lazily and looks up to three visual lines ahead; here the same loop is
//! a state machine that takes a step only once three items past the current one are
//! in its buffer (or the document has ended), so a document streams through in
//! batches with one paragraph in memory.
//!
//! Per-line features (ends a sentence, headline-like, a caption or credit, a turn
//! label, how much of its end may hang) are computed once, when a line is read.

use crate::layout::{
    self, cells, char_len, ends_sentence, half_width_alnums, hanging, is_credit_line,
    is_headline_like, is_hspace, is_standalone_line, label_name, py_strip, LineFacts, Visual,
};
use crate::tables;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use std::collections::{HashSet, VecDeque};

pattern!(carried_word_re, tables::CARRIED_WORD);
pattern!(carried_unit_re, tables::CARRIED_UNIT);
pattern!(long_reporter_label_re, tables::LONG_REPORTER_LABEL);
pattern!(reporter_label_re, tables::REPORTER_LABEL);
pattern!(generic_label_re, tables::GENERIC_LABEL);
pattern!(credit_ends_caption_re, tables::CREDIT_ENDS_CAPTION);
pattern!(split_credit_re, tables::SPLIT_CREDIT);
pattern!(byline_start_re, tables::BYLINE_START);
pattern!(dateline_re, tables::DATELINE);
pattern!(credit_agent_re, tables::CREDIT_AGENT);
pattern!(number_goes_on_re, tables::NUMBER_GOES_ON);

// --- The tolerances and the layout, read from the Python objects -----------------------

/// The fields of `lines.Tolerances` the decisions read.
#[derive(Clone, Copy, FromPyObject)]
pub(crate) struct Tol {
    #[pyo3(attribute)]
    indent: f64,
    #[pyo3(attribute)]
    indent_slack: f64,
    #[pyo3(attribute)]
    hang: f64,
    #[pyo3(attribute)]
    short: f64,
    #[pyo3(attribute)]
    headline_narrower: f64,
    #[pyo3(attribute)]
    headline_wider: f64,
    #[pyo3(attribute)]
    longest_outlet: i64,
}

/// `lines.Layout`.
#[derive(Clone, FromPyObject)]
pub(crate) struct Layout {
    #[pyo3(attribute)]
    width: Option<f64>,
    #[pyo3(attribute)]
    blank_separated: bool,
    #[pyo3(attribute)]
    indented: bool,
    #[pyo3(attribute)]
    column_spaces: bool,
    #[pyo3(attribute)]
    speakers: HashSet<String>,
    #[pyo3(attribute)]
    first_line_room: bool,
    #[pyo3(attribute)]
    latin_in_half_cells: bool,
    #[pyo3(attribute)]
    blank_in_sentences: bool,
}

impl Layout {
    /// The layout `LayoutFeatures::decide` gives.
    pub(crate) fn from_tuple(t: crate::layout::LayoutTuple) -> Layout {
        let (width, blank_separated, indented, column_spaces, speakers, room, latin_half, in_sentences) = t;
        Layout {
            width,
            blank_separated,
            indented,
            column_spaces,
            speakers: speakers.into_iter().collect(),
            first_line_room: room,
            latin_in_half_cells: latin_half,
            blank_in_sentences: in_sentences,
        }
    }
}

// --- Visual lines, with their features ---------------------------------------------------

/// `lines.VisualLine`, with what the clauses ask of its text, computed once.
struct Line {
    text: String,
    indent: f64,
    width: f64,
    joined: bool,
    line: i64,
    first: char,
    last: char,
    /// `ends_sentence(text)`
    ends: bool,
    /// `is_headline_like(text)`
    headline_like: bool,
    /// `is_standalone_line(text)`: a caption, credit or byline
    standalone: bool,
    /// `_hanging(text)`
    hanging: f64,
    /// how many marks that may not open a line end it (they hang, however many)
    trailing: f64,
    /// `starts_turn(text, layout.speakers)`
    turn: bool,
    /// `_HALF_WIDTH_ALNUM.search(text)`
    half_alnum: bool,
}

/// `lines.starts_turn`.
fn starts_turn(text: &str, speakers: &HashSet<String>) -> bool {
    let stripped = text.trim_start_matches(is_hspace);
    if !stripped.contains('：') && !stripped.contains(':') {
        return false;
    }
    if (stripped.contains("记者") && reporter_label_re().is_match(stripped))
        || generic_label_re().is_match(stripped)
    {
        return true;
    }
    label_name(stripped).is_some_and(|name| speakers.contains(name))
}

impl Line {
    fn new(v: Visual, line: i64, speakers: &HashSet<String>, standalone: Option<bool>) -> Line {
        let text = v.text;
        let kept = text.trim_end_matches(tables::is_continuation_start);
        Line {
            indent: v.indent,
            width: v.width,
            joined: v.joined,
            line,
            first: text.chars().next().unwrap_or('\0'),
            last: text.chars().next_back().unwrap_or('\0'),
            ends: ends_sentence(&text),
            // A visual line is stripped but for spaces Python's strip() takes and a
            // cut does not (a control such as U+001C): its width then differs.
            headline_like: if py_strip(&text).len() == text.len() {
                layout::headline_like_at(&text, v.width)
            } else {
                is_headline_like(&text)
            },
            standalone: standalone.unwrap_or_else(|| is_standalone_line(&text)),
            hanging: hanging(&text) as f64,
            trailing: char_len(&text[kept.len()..]) as f64,
            turn: starts_turn(&text, speakers),
            half_alnum: half_width_alnums(&text) > 0,
            text,
        }
    }
}

// --- The helpers, one for one --------------------------------------------------------------

fn is_byline(text: &str) -> bool {
    layout::byline().is_match(text)
}

/// `lines._CARRIED_WORD.match`.
fn carried_word(text: &str) -> bool {
    carried_word_re().is_match(text)
}

/// `lines._is_short`.
fn is_short(tol: &Tol, vl: &Line, width: f64, first: bool) -> bool {
    let slack = if first && vl.indent == 0.0 { tol.short + tol.indent } else { tol.short };
    vl.width + vl.indent - vl.hanging <= width - slack
}

/// `lines._is_headline_line`.
fn is_headline_line(tol: &Tol, vl: &Line, width: f64) -> bool {
    let full = vl.width + vl.indent;
    vl.headline_like
        && (full <= width - tol.headline_narrower || full - vl.trailing >= width + tol.headline_wider)
}

/// `lines._is_wide_headline`.
fn is_wide_headline(tol: &Tol, vl: &Line, width: f64) -> bool {
    vl.headline_like && vl.width + vl.indent - vl.trailing >= width + tol.headline_wider
}

/// `lines._at_first_line_room`.
fn at_first_line_room(tol: &Tol, vl: &Line, width: f64) -> bool {
    let room = width - tol.indent;
    if vl.half_alnum {
        return (vl.width - room).abs() <= tol.indent_slack;
    }
    (vl.width - room).abs() <= tol.indent_slack || (vl.width - vl.hanging - room).abs() <= tol.indent_slack
}

/// `lines._left_short_by_carry`.
fn left_short_by_carry(p: &Line, n: &Line, width: f64, first: bool, after_sentence: bool) -> bool {
    if p.ends && !after_sentence {
        return false;
    }
    let Some(m) = carried_unit_re().find(&n.text) else {
        return false;
    };
    let room = width - if first && p.indent == 0.0 { 2.0 } else { 0.0 };
    p.width + p.indent + cells(m.as_str()) > room - 1.0
}

/// `lines.title_goes_on`.
fn title_goes_on(tol: &Tol, prev: &Line, nxt: &Line, after: Option<&Line>, width: f64) -> bool {
    if prev.width + prev.indent < width + tol.headline_wider || nxt.width > prev.width {
        return false;
    }
    if !(is_headline_line(tol, prev, width) && nxt.headline_like) {
        return false;
    }
    if nxt.text.starts_with(tables::SUBTITLE_DASH)
        || nxt.standalone
        || is_byline(&nxt.text)
        || dateline_re().is_match(&format!("{}{}", prev.text, nxt.text))
    {
        return false;
    }
    match after {
        None => true,
        Some(a) => a.text.starts_with(tables::SUBTITLE_DASH) || is_byline(&a.text) || a.standalone,
    }
}

/// `lines.opens_label_line`.
fn opens_label_line(tol: &Tol, prev: &Line, nxt: &Line, width: f64) -> bool {
    let room = width - tol.indent;
    if prev.indent != 0.0 || (prev.width - room).abs() > tol.indent_slack {
        return false;
    }
    let joined = format!("{}{}", prev.text, nxt.text.trim_start_matches(is_hspace));
    long_reporter_label_re()
        .captures(&joined)
        .and_then(|c| c.get(1))
        .is_some_and(|m| char_len(m.as_str()) as i64 <= tol.longest_outlet)
}

/// `lines.opens_without_indent`.
#[allow(clippy::too_many_arguments)]
fn opens_without_indent(
    tol: &Tol,
    prev: &Line,
    nxt: &Line,
    after: Option<&Line>,
    width: f64,
    short: bool,
    after2: Option<&Line>,
    latin_in_half_cells: bool,
) -> bool {
    if short || nxt.indent != 0.0 || !prev.ends {
        return false;
    }
    if !latin_in_half_cells && nxt.half_alnum {
        return false;
    }
    if !at_first_line_room(tol, nxt, width) {
        return false;
    }
    let Some(goes_on) = after.or(after2) else {
        return false;
    };
    if goes_on.indent != 0.0 || is_short(tol, goes_on, width, false) {
        return false;
    }
    if nxt.ends && (after.is_none() || at_first_line_room(tol, goes_on, width)) {
        return false;
    }
    !(carried_word(&goes_on.text) || left_short_by_carry(nxt, goes_on, width, false, false))
}

/// `lines.is_standalone_headline`.
fn is_standalone_headline(
    tol: &Tol,
    vl: &Line,
    after: Option<&Line>,
    layout: &Layout,
    after2: Option<&Line>,
) -> bool {
    let Some(width) = layout.width else {
        return false;
    };
    if !vl.headline_like || (layout.indented && vl.indent != 0.0) {
        return false;
    }
    if after.is_some_and(|a| a.joined) {
        return false;
    }
    let Some(a) = after else {
        return true;
    };
    if is_headline_line(tol, vl, width) {
        return true;
    }
    (layout.indented && a.indent > 0.0)
        || (a.turn && !opens_label_line(tol, vl, a, width))
        || a.standalone
        || is_headline_line(tol, a, width)
        || (is_short(tol, a, width, false)
            && !a.ends
            && !after2.is_some_and(|a2| left_short_by_carry(a, a2, width, false, false)))
}

/// `lines.caption_goes_on`.
fn caption_goes_on(tol: &Tol, prev: &Line, nxt: &Line, width: f64) -> bool {
    if !tables::is_caption_mark(prev.first) || prev.ends || nxt.indent != 0.0 {
        return false;
    }
    !(is_short(tol, prev, width, false) || nxt.standalone)
}

/// `lines._AFTER_SENTENCE_END.search(text).group()`: what follows the last 。！？；.
fn after_sentence_end(text: &str) -> &str {
    match text.rfind(['。', '！', '？', '；']) {
        Some(k) => &text[k + text[k..].chars().next().map_or(0, char::len_utf8)..],
        None => text,
    }
}

/// `lines.credit_goes_on`.
fn credit_goes_on(prev: &Line, nxt: &Line) -> bool {
    if !is_credit_line(&nxt.text) || prev.ends {
        return false;
    }
    let tail = after_sentence_end(&prev.text);
    if tail.is_empty() {
        return false;
    }
    if !credit_agent_re().is_match(&nxt.text) && credit_agent_re().is_match(tail) {
        return is_credit_line(&format!("{}{}", tail, nxt.text));
    }
    if byline_start_re().is_match(&nxt.text) {
        return false;
    }
    split_credit_re()
        .find(&format!("{}{}", tail, nxt.text))
        .is_some_and(|m| m.start() < tail.len())
}

/// `lines.is_subtitle_after_title`.
fn is_subtitle_after_title(
    tol: &Tol,
    prev: &Line,
    nxt: &Line,
    layout: &Layout,
    prev_first: bool,
    after: Option<&Line>,
) -> bool {
    if !nxt.text.starts_with(tables::SUBTITLE_DASH) {
        return false;
    }
    if !(prev.headline_like && nxt.headline_like) {
        return false;
    }
    let Some(width) = layout.width else {
        return true;
    };
    if is_headline_line(tol, prev, width) || is_headline_line(tol, nxt, width) {
        return true;
    }
    if after.is_some_and(|a| is_byline(&a.text)) {
        return true;
    }
    prev_first && layout.first_line_room && prev.indent == 0.0 && !at_first_line_room(tol, prev, width)
}

/// `lines.first_line_goes_on`.
fn first_line_goes_on(tol: &Tol, p: &Line, n: &Line, layout: &Layout) -> bool {
    let Some(width) = layout.width else {
        return false;
    };
    if !layout.first_line_room || !at_first_line_room(tol, p, width) {
        return false;
    }
    if n.indent != 0.0 || is_short(tol, n, width, false) || at_first_line_room(tol, n, width) {
        return false;
    }
    if n.width - n.hanging > width + tol.hang {
        return false;
    }
    !(n.turn || n.headline_like)
}

/// `lines.goes_on_after_sentence_end`.
fn goes_on_after_sentence_end(
    tol: &Tol,
    p: &Line,
    n: &Line,
    layout: &Layout,
    n_next: Option<&Line>,
) -> bool {
    let Some(width) = layout.width else {
        return false;
    };
    if !layout.first_line_room
        || (layout.blank_separated && !layout.blank_in_sentences)
        || layout.column_spaces
    {
        return false;
    }
    if n_next.is_none() && (n.ends || !layout.blank_in_sentences) {
        return false;
    }
    if is_short(tol, p, width, false) || n.indent != 0.0 || is_short(tol, n, width, false) {
        return false;
    }
    if layout.blank_separated && n.width < width - tol.indent_slack {
        return false;
    }
    if at_first_line_room(tol, n, width) {
        return false;
    }
    if n.headline_like
        && n_next.is_none_or(|nn| is_short(tol, nn, width, false) || at_first_line_room(tol, nn, width))
    {
        return false;
    }
    !(n.turn || is_headline_line(tol, n, width))
}

// --- The two deciders ----------------------------------------------------------------------

/// A decision: whether the line after the boundary goes on, and the deciding clause.
type Decision = (bool, &'static str);

const fn join(clause: &'static str) -> Decision {
    (true, clause)
}

const fn brk(clause: &'static str) -> Decision {
    (false, clause)
}

/// `lines.decide_within_block`.
#[allow(clippy::too_many_arguments)]
fn decide_within_block(
    tol: &Tol,
    prev: &Line,
    nxt: &Line,
    after: Option<&Line>,
    layout: &Layout,
    prev_is_first: bool,
    prev_standalone: bool,
    after2: Option<&Line>,
) -> Decision {
    let width = layout.width;
    if credit_goes_on(prev, nxt) {
        return join("credit_goes_on");
    }
    if let Some(w) = width {
        if caption_goes_on(tol, prev, nxt, w) {
            return join("caption_goes_on");
        }
    }
    if prev.standalone || nxt.standalone {
        return brk("standalone_line");
    }
    if prev.text.contains('摄') && credit_ends_caption_re().is_match(&prev.text) {
        return brk("credit_ends_caption");
    }
    if let Some(w) = width {
        if prev_is_first && !nxt.joined && title_goes_on(tol, prev, nxt, after, w) {
            return join("title_goes_on");
        }
    }
    if prev_standalone {
        return brk("after_standalone_headline");
    }
    if is_subtitle_after_title(tol, prev, nxt, layout, prev_is_first, after) {
        return brk("is_subtitle_after_title");
    }
    if tables::is_continuation_start(nxt.first) {
        return join("opens_with_closing_mark");
    }
    if nxt.joined && !(prev.ends && nxt.turn) {
        return join("column_break_space");
    }
    if let Some(w) = width {
        if layout.first_line_room
            && !nxt.joined
            && opens_without_indent(
                tol,
                prev,
                nxt,
                after,
                w,
                is_short(tol, prev, w, prev_is_first),
                after2,
                layout.latin_in_half_cells,
            )
        {
            return brk("opens_without_indent");
        }
    }
    if layout.blank_separated {
        let Some(w) = width else {
            return join("blank_separated_wrap");
        };
        if carried_word(&nxt.text) || left_short_by_carry(prev, nxt, w, prev_is_first, true) {
            return join("blank_separated_wrap");
        }
        if prev.ends {
            if is_short(tol, prev, w, prev_is_first) {
                return brk("blank_line_lost");
            }
            return join("blank_separated_wrap");
        }
        if prev_is_first && is_headline_line(tol, prev, w) && !dateline_re().is_match(&prev.text) {
            return brk("headline_atop_block");
        }
        return join("blank_separated_wrap");
    }
    if layout.column_spaces && !nxt.joined && prev.ends {
        return brk("line_holds_paragraph");
    }
    let Some(w) = width else {
        return brk("no_column_width");
    };
    if layout.indented && nxt.indent > 0.0 {
        return brk("indent_opens_paragraph");
    }
    let short = is_short(tol, prev, w, prev_is_first);
    let turn = nxt.turn;
    if turn
        && !(short || prev.ends)
        && prev.headline_like
        && !layout.indented
        && opens_label_line(tol, prev, nxt, w)
    {
        return join("opens_label_line");
    }
    if turn && (short || prev.ends || (prev.headline_like && !layout.indented)) {
        return brk("turn_label");
    }
    if layout.indented && nxt.indent == 0.0 && prev.ends && !nxt.headline_like {
        return join("unindented_goes_on");
    }
    if short
        && (prev.ends
            || !(carried_word(&nxt.text)
                || tables::is_mid_clause(prev.last)
                || left_short_by_carry(prev, nxt, w, prev_is_first, false)))
    {
        return brk("short_line_ends");
    }
    if is_headline_line(tol, prev, w) {
        return brk("headline_line");
    }
    if prev.headline_like && is_wide_headline(tol, nxt, w) {
        return brk("headline_follows");
    }
    if prev.ends && is_standalone_headline(tol, nxt, after, layout, after2) {
        return brk("is_standalone_headline");
    }
    join("full_line_goes_on")
}

/// `lines.decide_across_gap`.
#[allow(clippy::too_many_arguments)]
fn decide_across_gap(
    tol: &Tol,
    p: &Line,
    n: &Line,
    layout: &Layout,
    p_alone: bool,
    n_alone: bool,
    p_first: bool,
    n_next: Option<&Line>,
) -> Decision {
    if is_subtitle_after_title(tol, p, n, layout, p_first, n_next) {
        return brk("is_subtitle_after_title");
    }
    if tables::is_continuation_start(n.first) {
        return join("opens_with_closing_mark");
    }
    if p.standalone || n.standalone {
        return brk("standalone_line");
    }
    if p.ends {
        if goes_on_after_sentence_end(tol, p, n, layout, n_next) {
            return join("goes_on_after_sentence_end");
        }
        return brk("sentence_end_before_break");
    }
    if n.turn {
        return brk("turn_label");
    }
    if p_alone && first_line_goes_on(tol, p, n, layout) {
        return join("first_line_goes_on");
    }
    if (p_alone && p.headline_like) || (n_alone && n.headline_like) {
        return brk("lone_headline");
    }
    if layout.indented {
        return if n.indent != 0.0 { brk("indent_opens_paragraph") } else { join("unindented_goes_on") };
    }
    let Some(w) = layout.width else {
        return join("stops_mid_sentence");
    };
    if is_short(tol, p, w, p_first)
        && !tables::is_mid_clause(p.last)
        && !left_short_by_carry(p, n, w, p_first, false)
    {
        return brk("short_line_ends");
    }
    if n_alone
        || !is_short(tol, n, w, false)
        || n_next.is_some_and(|nn| left_short_by_carry(n, nn, w, false, false))
    {
        return join("full_line_goes_on");
    }
    if n.ends && is_short(tol, n, w - 1.0, false) {
        return join("continued_paragraph_ends");
    }
    brk("short_first_line_after_break")
}

// --- Joining ----------------------------------------------------------------------------------

class!(py_lower, tables::PY_LOWER);
class!(py_upper, tables::PY_UPPER);
class!(pub(crate) py_digit, tables::PY_DIGIT);
class!(fullwidth_alnum, tables::FULLWIDTH_ALNUM);
class!(latin_side, tables::LATIN_SIDE);

/// `lines._joint`, from the paragraph's last two characters (`a2`, `a`): whether to
/// drop its last character, and the glue before `right`.
fn joint(a2: Option<char>, a: Option<char>, right: &str) -> (bool, &'static str) {
    let (Some(a), Some(b)) = (a, right.chars().next()) else {
        return (false, "");
    };
    if a == '-' {
        if let Some(a2) = a2 {
            return (py_lower(a2) && py_lower(b), "");
        }
    }
    if fullwidth_alnum(a) && fullwidth_alnum(b) && !(py_lower(a) && py_upper(b)) {
        return (false, "");
    }
    if a.is_ascii()
        && (py_digit(a) || a == '.')
        && b.is_ascii()
        && py_digit(b)
        && number_goes_on_re().is_match(right)
    {
        if py_digit(a) && a2.is_some_and(tables::is_hspace) {
            return (false, " ");
        }
        return (false, "");
    }
    if py_digit(a) && "%％‰".contains(b) {
        return (false, "");
    }
    if latin_side(a) && latin_side(b) {
        return (false, " ");
    }
    (false, "")
}

/// `lines._Paragraph.join`: `text` joined to the paragraph `para`.
fn join_to(para: &mut String, text: &str) {
    let mut rev = para.chars().rev();
    let a = rev.next();
    let a2 = rev.next();
    let (drop, glue) = joint(a2, a, text);
    if drop {
        para.pop();
    }
    para.push_str(glue);
    para.push_str(text);
}

// --- iter_paragraphs, as a state machine ------------------------------------------------------

/// Where `iter_paragraphs` is: before a block's first line, or inside a block.
#[derive(Clone, Copy, PartialEq)]
enum Phase {
    Outer,
    Inner,
}

/// `lines.iter_paragraphs`, fed lines in batches: `feed` returns the paragraphs the
/// lines so far complete, `finish` the rest.
#[pyclass(module = "textclean._engine")]
pub struct Paragraphs {
    layout: Layout,
    tol: Tol,
    record: bool,
    /// visual lines read and not yet taken; None for a run of blank lines
    buffer: VecDeque<Option<Line>>,
    /// the document has ended: past the buffer is its end
    finished: bool,
    /// the lines read so far end in blank lines (or there were none)
    gap: bool,
    number: i64,
    phase: Phase,
    done: bool,
    current: Option<String>,
    prev_last: Option<Line>,
    prev_alone: bool,
    prev_first: bool,
    prev: Option<Line>,
    first_of_para: bool,
    standalone: bool,
    alone: bool,
    out: Vec<String>,
    decisions: Vec<(i64, bool, &'static str)>,
}

impl Paragraphs {
    pub(crate) fn read(&mut self, line: &str) {
        self.read_facts(LineFacts::of(line));
    }

    /// `read` of a line whose facts are known (the features' pass computed them).
    pub(crate) fn read_facts(&mut self, facts: LineFacts<'_>) {
        let number = self.number;
        self.number += 1;
        let Some(seen) = facts.seen else {
            if !self.gap {
                self.gap = true;
                self.buffer.push_back(None);
            }
            return;
        };
        self.gap = false;
        let standalone = seen.standalone;
        // Cut at its column spaces where the layout has them; a line read whole is
        // its one visual line, and what is known of it holds.
        let (visuals, known) = if self.layout.column_spaces && !standalone {
            let known = (seen.visuals.len() < 3).then_some(standalone);
            (seen.visuals, known)
        } else {
            (vec![seen.whole], Some(standalone))
        };
        for v in visuals {
            let vl = Line::new(v, number, &self.layout.speakers, known);
            self.buffer.push_back(Some(vl));
        }
    }

    /// `_Lookahead.peek`: the next visual line (None at a gap or the end).
    fn peek(&self) -> Option<&Line> {
        self.buffer.front().and_then(|item| item.as_ref())
    }

    /// `_Lookahead.peek2`: the visual line after the next one, across one gap.
    fn peek2(&self) -> Option<&Line> {
        self.peek()?;
        match self.buffer.get(1) {
            Some(Some(vl)) => Some(vl),
            Some(None) => self.buffer.get(2).and_then(|item| item.as_ref()),
            None => None,
        }
    }

    /// `_Lookahead.next`: None at the end, Some(None) at a gap.
    fn take(&mut self) -> Option<Option<Line>> {
        self.buffer.pop_front()
    }

    fn emit(&mut self) {
        if let Some(text) = self.current.take() {
            self.out.push(text);
        }
    }

    fn run(&mut self) {
        while !self.done && (self.finished || self.buffer.len() >= 4) {
            match self.phase {
                Phase::Outer => self.block_start(),
                Phase::Inner => self.block_step(),
            }
        }
    }

    /// The outer loop's body: a block's first line, across the gap before it.
    fn block_start(&mut self) {
        let Some(Some(first)) = self.take() else {
            self.done = true; // the end (a gap here ends the loop too, as in Python)
            return;
        };
        let alone = self.peek().is_none();
        let across = match (self.prev_last.as_ref(), self.current.is_some()) {
            (Some(p), true) => Some(decide_across_gap(
                &self.tol,
                p,
                &first,
                &self.layout,
                self.prev_alone,
                alone,
                self.prev_first,
                self.peek(),
            )),
            _ => None,
        };
        match across {
            Some(decision) => {
                if self.record {
                    self.decisions.push((first.line, decision.0, decision.1));
                }
                if decision.0 {
                    join_to(self.current.as_mut().expect("a paragraph"), &first.text);
                } else {
                    self.emit();
                    self.current = Some(first.text.clone());
                }
            }
            _ => self.current = Some(first.text.clone()),
        }
        self.first_of_para = true;
        self.standalone = false;
        self.prev = Some(first);
        self.alone = true;
        self.phase = Phase::Inner;
    }

    /// The inner loop's body: the next line of the block, or the block's end.
    fn block_step(&mut self) {
        if self.peek().is_none() {
            self.take(); // the gap, or the end
            let prev = self.prev.take().expect("a block's last line");
            self.prev_first = self.first_of_para || starts_turn(&prev.text, &self.layout.speakers);
            self.prev_last = Some(prev);
            self.prev_alone = self.alone;
            self.phase = Phase::Outer;
            return;
        }
        let Some(Some(nxt)) = self.take() else { unreachable!("peeked a line") };
        self.alone = false;
        let prev = self.prev.take().expect("the line before");
        let (decision, standalone) = {
            let (after, after2) = (self.peek(), self.peek2());
            let decision = decide_within_block(
                &self.tol,
                &prev,
                &nxt,
                after,
                &self.layout,
                self.first_of_para,
                self.standalone,
                after2,
            );
            // A line that opens a paragraph may be a headline of its own.
            let standalone = !decision.0
                && !self.layout.blank_separated
                && is_standalone_headline(&self.tol, &nxt, after, &self.layout, after2);
            (decision, standalone)
        };
        if self.record && !nxt.joined {
            self.decisions.push((nxt.line, decision.0, decision.1));
        }
        if !decision.0 {
            self.emit();
            self.current = Some(nxt.text.clone());
            self.first_of_para = true;
        } else {
            join_to(self.current.as_mut().expect("a paragraph"), &nxt.text);
            self.first_of_para = false;
        }
        self.standalone = standalone;
        self.prev = Some(nxt);
    }
}

#[pymethods]
impl Paragraphs {
    /// The paragraphs of lines numbered from ``first_line``, decided with ``layout``
    /// (a `lines.Layout`) under ``tol`` (a `lines.Tolerances`); ``record`` keeps each
    /// decision for `decisions`.
    #[new]
    #[pyo3(signature = (layout, tol, *, first_line, record))]
    pub(crate) fn new(layout: Layout, tol: Tol, first_line: i64, record: bool) -> Self {
        Paragraphs {
            layout,
            tol,
            record,
            buffer: VecDeque::new(),
            finished: false,
            gap: true,
            number: first_line,
            phase: Phase::Outer,
            done: false,
            current: None,
            prev_last: None,
            prev_alone: false,
            prev_first: false,
            prev: None,
            first_of_para: false,
            standalone: false,
            alone: false,
            out: Vec::new(),
            decisions: Vec::new(),
        }
    }

    /// Read lines (without their line breaks) that follow those read before; the
    /// paragraphs they complete.
    fn feed(&mut self, py: Python<'_>, lines: Vec<PyBackedStr>) -> Vec<String> {
        py.allow_threads(|| {
            for line in &lines {
                self.read(line);
            }
            self.run();
            std::mem::take(&mut self.out)
        })
    }

    /// Read the lines of a chunk (`document.lines_of`): `feed(lines_of(chunk))`
    /// without a Python string per line.
    fn feed_text(&mut self, py: Python<'_>, chunk: crate::Text) -> Vec<String> {
        py.allow_threads(|| {
            for line in layout::lines_of(&chunk) {
                self.read(line);
            }
            self.run();
            std::mem::take(&mut self.out)
        })
    }

    /// The document has ended: the paragraphs left.
    pub(crate) fn finish(&mut self) -> Vec<String> {
        self.finished = true;
        self.run();
        self.emit();
        std::mem::take(&mut self.out)
    }

    /// The decisions taken since the last call, as (line, joins, clause).
    fn decisions(&mut self) -> Vec<(i64, bool, &'static str)> {
        std::mem::take(&mut self.decisions)
    }

    /// How many U+FFFD the text read and not yet given back holds.
    fn pending_replacements(&self) -> usize {
        let held = self.current.as_deref().map_or(0, |t| t.matches('\u{fffd}').count());
        held + self
            .buffer
            .iter()
            .flatten()
            .map(|vl| vl.text.matches('\u{fffd}').count())
            .sum::<usize>()
    }
}
