//! Columns set side by side: `textclean.rules.columns._reorder_reference`, compiled.
//!
//! The same model in the same order: segments (in characters or display cells),
//! column structures over the lines ahead, regions and their bands, emission. Each
//! function here is named after the Python one it follows. Positions are counted in
//! characters (not bytes) as Python counts them.

use crate::layout::ends_sentence;
use crate::lexicon::Lexicon;
use crate::tables;
use pyo3::prelude::*;

const LOOKAHEAD: usize = tables::COLUMNS_LOOKAHEAD as usize;
const BAND_GAP: i64 = tables::COLUMNS_BAND_GAP;
const BAND_END_MARGIN: i64 = tables::COLUMNS_BAND_END_MARGIN;
const MIN_MULTI_LINES: usize = tables::COLUMNS_MIN_MULTI_LINES as usize;
const INDENT_SLACK: i64 = tables::COLUMNS_INDENT_SLACK;
const BAND_ROWS: usize = tables::COLUMNS_BAND_ROWS as usize;
const MIN_COLUMN_TEXT: i64 = tables::COLUMNS_MIN_COLUMN_TEXT;
const COLUMN_SHARE: f64 = tables::COLUMNS_COLUMN_SHARE;
const WORD_CONTEXT: usize = tables::COLUMNS_WORD_CONTEXT as usize;

/// `Segment`: a piece of a line between gaps, its start and end, its text.
#[derive(Clone)]
struct Seg {
    start: i64,
    end: i64,
    text: String,
}

type Row = Vec<Seg>;

fn is_gap_char(c: char) -> bool {
    c == ' ' || c == '\u{3000}'
}

class!(pub(crate) is_re_space, tables::RE_SPACE);
class!(is_wide, tables::EAST_ASIAN_WIDE);

/// `\S` of Python's `regex`.
fn is_re_nonspace(c: char) -> bool {
    !is_re_space(c)
}

fn chars(text: &str) -> i64 {
    text.chars().count() as i64
}

/// `_display`: two cells for a wide or full-width character.
fn display(text: &str) -> i64 {
    text.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

fn width(text: &str, cells: bool) -> i64 {
    if cells {
        display(text)
    } else {
        chars(text)
    }
}

/// `_char_positions`: the line cut at runs of two or more of `[ \u3000]`.
fn char_positions(line: &str) -> Row {
    let cs: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let mut piece_start = 0usize;
    let mut i = 0usize;
    let emit = |from: usize, to: usize, out: &mut Row| {
        let piece = &cs[from..to];
        if !piece.iter().any(|&c| !crate::layout::is_py_space(c)) {
            return;
        }
        let lead = piece.iter().take_while(|&&c| is_gap_char(c)).count();
        let trail = piece.iter().rev().take_while(|&&c| is_gap_char(c)).count();
        let text: String = piece[lead..piece.len() - trail].iter().collect();
        let start = (from + lead) as i64;
        out.push(Seg { start, end: start + (piece.len() - lead - trail) as i64, text });
    };
    while i < cs.len() {
        if is_gap_char(cs[i]) {
            let mut j = i;
            while j < cs.len() && is_gap_char(cs[j]) {
                j += 1;
            }
            if j - i >= 2 {
                emit(piece_start, i, &mut out);
                piece_start = j;
            }
            i = j;
        } else {
            i += 1;
        }
    }
    emit(piece_start, cs.len(), &mut out);
    out
}

/// `_cell_positions`.
fn cell_positions(line: &str) -> Row {
    let cs: Vec<char> = line.chars().collect();
    char_positions(line)
        .into_iter()
        .map(|seg| {
            let before: String = cs[..seg.start as usize].iter().collect();
            let start = display(&before);
            Seg { start, end: start + display(&seg.text), text: seg.text }
        })
        .collect()
}

fn segments(line: &str, cells: bool) -> Row {
    if cells {
        cell_positions(line)
    } else {
        char_positions(line)
    }
}

/// `_column_of`.
fn column_of(seg: &Seg, columns: &[i64]) -> Option<usize> {
    for (k, &start) in columns.iter().enumerate() {
        if start - 1 <= seg.start && seg.start <= start + INDENT_SLACK {
            return match columns.get(k + 1) {
                Some(&next) if seg.end > next => None,
                _ => Some(k),
            };
        }
    }
    None
}

/// Whether `held` is some trues, then falses (Python: `held == sorted(held, reverse=True)`).
fn trues_then_falses(held: &[bool]) -> bool {
    held.windows(2).all(|w| w[0] || !w[1])
}

fn in_group(seg: &Seg, group: &[i64]) -> bool {
    group[0] - 1 <= seg.start && seg.start <= group[group.len() - 1]
}

/// `_column_starts` (`rows` may hold empty rows: they are left out).
fn column_starts(rows: &[&Row], inner: bool) -> Option<Vec<i64>> {
    let rows: Vec<&Row> = rows.iter().copied().filter(|r| !r.is_empty()).collect();
    if rows.iter().filter(|r| r.len() >= 2).count() < 2 {
        return None;
    }
    let mut starts: Vec<i64> = rows.iter().flat_map(|r| r.iter().map(|s| s.start)).collect();
    starts.sort();
    let mut groups: Vec<Vec<i64>> = Vec::new();
    for p in starts {
        match groups.last_mut() {
            Some(g) if p - g[0] <= INDENT_SLACK => g.push(p),
            _ => groups.push(vec![p]),
        }
    }
    let mut columns: Vec<i64> = Vec::new();
    for group in &groups {
        let rows_in = rows.iter().filter(|r| r.iter().any(|s| in_group(s, group))).count();
        if rows_in as f64 >= COLUMN_SHARE * rows.len() as f64 {
            columns.push(group[0]);
        }
    }
    if columns.len() < 2 {
        return None;
    }
    let mut edges = right_edges(&rows, &columns);
    for group in &groups {
        if last_column_ends_early(group, &rows, &columns, &edges) {
            columns.push(group[0]);
            edges = right_edges(&rows, &columns);
        }
    }
    if inner {
        let extra: Vec<i64> = groups
            .iter()
            .filter(|g| column_beside_a_picture(g, &rows, &columns))
            .map(|g| g[0])
            .collect();
        columns.extend(extra);
        columns.sort();
    }
    let taken: Vec<Vec<(Option<usize>, i64)>> = rows
        .iter()
        .map(|r| r.iter().map(|s| (column_of(s, &columns), chars(&s.text))).collect())
        .collect();
    let last = columns.len() - 1;
    let held: Vec<bool> = taken.iter().map(|r| r.iter().any(|&(k, _)| k == Some(last))).collect();
    let early = held[0] && !held.iter().all(|&h| h) && trues_then_falses(&held);
    let mut widths: Vec<Vec<i64>> = vec![Vec::new(); columns.len()];
    for r in &taken {
        for &(k, w) in r {
            if let Some(k) = k {
                widths[k].push(w);
            }
        }
    }
    for ws in widths.iter_mut().take(columns.len() - usize::from(early)) {
        ws.sort();
        if ws.is_empty() || ws[ws.len() / 2] < MIN_COLUMN_TEXT {
            return None;
        }
    }
    Some(columns)
}

/// `_right_edges`.
fn right_edges(rows: &[&Row], columns: &[i64]) -> Vec<i64> {
    let mut edges = columns.to_vec();
    let mut seen = vec![false; columns.len()];
    for r in rows {
        for s in r.iter() {
            if let Some(k) = column_of(s, columns) {
                if !seen[k] || s.end > edges[k] {
                    edges[k] = s.end;
                    seen[k] = true;
                }
            }
        }
    }
    edges
}

/// `_last_column_ends_early`.
fn last_column_ends_early(group: &[i64], rows: &[&Row], columns: &[i64], edges: &[i64]) -> bool {
    let gutters: Vec<i64> = (0..columns.len() - 1).map(|k| columns[k + 1] - edges[k]).collect();
    let gap = group[0] - edges[columns.len() - 1];
    let lo = 2.max(gutters.iter().min().expect("two columns") - INDENT_SLACK);
    let hi = gutters.iter().max().expect("two columns") + INDENT_SLACK;
    if !(lo <= gap && gap <= hi) {
        return false;
    }
    let held: Vec<bool> = rows.iter().map(|r| r.iter().any(|s| in_group(s, group))).collect();
    held[0] && trues_then_falses(&held)
}

/// `_column_beside_a_picture`.
fn column_beside_a_picture(group: &[i64], rows: &[&Row], columns: &[i64]) -> bool {
    let (g0, g1) = (group[0], group[group.len() - 1]);
    let left = columns.iter().copied().filter(|&c| c < g0 - 1).max();
    let right = columns.iter().copied().filter(|&c| c > g1).min();
    let (Some(left), Some(right)) = (left, right) else {
        return false;
    };
    if columns.iter().any(|&c| g0 - 1 <= c && c <= g1) {
        return false;
    }
    if (g0 - left).min(right - g0) < 2 * MIN_COLUMN_TEXT {
        return false;
    }
    let mine: Vec<Vec<&Seg>> =
        rows.iter().map(|r| r.iter().filter(|s| in_group(s, group)).collect()).collect();
    let held: Vec<bool> = mine.iter().map(|m| !m.is_empty()).collect();
    if held.iter().filter(|&&h| h).count() < 2 {
        return false;
    }
    let first = held.iter().position(|&h| h).expect("two held");
    let last = held.iter().rposition(|&h| h).expect("two held");
    let share = |part: &[bool]| part.iter().filter(|&&h| h).count() as f64 / part.len() as f64;
    if share(&held[first..]).max(share(&held[..=last])) < COLUMN_SHARE {
        return false;
    }
    let mut widths: Vec<i64> = mine.iter().flatten().map(|s| chars(&s.text)).collect();
    widths.sort();
    widths[widths.len() / 2] >= MIN_COLUMN_TEXT
}

/// `_split_at_gutters`.
fn split_at_gutters(row: &Row, columns: &[i64], cells: bool) -> Row {
    let mut out = Vec::new();
    for whole in row {
        let mut seg = whole.clone();
        while column_of(&seg, columns).is_none() {
            let cs: Vec<char> = seg.text.chars().collect();
            let mut cut = None;
            for i in 2..cs.len().saturating_sub(2) {
                // _ONE_SPACE: (?<=\S\S) (?=\S\S)
                if cs[i] != ' '
                    || !(is_re_nonspace(cs[i - 2]) && is_re_nonspace(cs[i - 1]))
                    || !(is_re_nonspace(cs[i + 1]) && is_re_nonspace(cs[i + 2]))
                {
                    continue;
                }
                let upto: String = cs[..=i].iter().collect();
                let at = seg.start + width(&upto, cells);
                if columns.iter().any(|&c| c > seg.start && c - 1 <= at && at <= c + INDENT_SLACK) {
                    cut = Some(i);
                    break;
                }
            }
            let Some(i) = cut else { break };
            let head: String = cs[..i].iter().collect();
            let upto: String = cs[..=i].iter().collect();
            let at = seg.start + width(&upto, cells);
            let head_end = seg.start + width(&head, cells);
            out.push(Seg { start: seg.start, end: head_end, text: head });
            seg = Seg { start: at, end: seg.end, text: cs[i + 1..].iter().collect() };
        }
        out.push(seg);
    }
    out
}

/// `_fits`.
fn fits(row: &Row, columns: &[i64]) -> bool {
    let mut taken = Vec::with_capacity(row.len());
    for s in row {
        match column_of(s, columns) {
            None => return false,
            Some(k) if taken.contains(&k) => return false,
            Some(k) => taken.push(k),
        }
    }
    true
}

/// `_bands`.
fn bands(rows: &[Row], first: usize, end: usize, columns: &[i64], lexicon: &Lexicon) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut top = first;
    for b in first + 1..end.saturating_sub(1) {
        if rows[b].is_empty()
            && !rows[b - 1].is_empty()
            && !rows[b + 1].is_empty()
            && band_ends_at(rows, columns, Cut { top, above: b - 1, below: b + 1, end: 0 }, lexicon)
        {
            out.push((top, b));
            top = b + 1;
        } else if !rows[b].is_empty()
            && !rows[b - 1].is_empty()
            && b - 1 > top
            && opens_a_band(&rows[b - 1], &rows[b], columns)
            && band_ends_at(rows, columns, Cut { top, above: b - 1, below: b, end }, lexicon)
        {
            out.push((top, b));
            top = b;
        }
    }
    out.push((top, end));
    out
}

/// `_opens_a_band`.
fn opens_a_band(above: &Row, row: &Row, columns: &[i64]) -> bool {
    let last = columns.len() - 1;
    row.len() == columns.len()
        && row[0].start - columns[0] >= 2
        && row.iter().enumerate().all(|(k, s)| column_of(s, columns) == Some(k))
        && above.iter().all(|s| column_of(s, columns) != Some(last))
}

/// A cut of a band between two rows: the band's top row, the rows above and below
/// the cut, and, for a cut with no blank row, the region's end (else 0).
#[derive(Clone, Copy)]
struct Cut {
    top: usize,
    above: usize,
    below: usize,
    end: usize,
}

/// `_band_ends_at`.
fn band_ends_at(rows: &[Row], columns: &[i64], cut: Cut, lexicon: &Lexicon) -> bool {
    let (goes_on, ends) = bad_joins(rows, columns, cut, lexicon);
    goes_on >= ends + BAND_END_MARGIN
}

/// `_bad_joins`.
fn bad_joins(rows: &[Row], columns: &[i64], cut: Cut, lexicon: &Lexicon) -> (i64, i64) {
    let Cut { top, above, below, end } = cut;
    let at = |row: &'_ Row, k: usize| -> Option<Seg> {
        row.iter().find(|s| column_of(s, columns) == Some(k)).cloned()
    };
    let right: Vec<i64> = (0..columns.len())
        .map(|k| {
            rows[top..=above]
                .iter()
                .flat_map(|r| r.iter())
                .filter(|s| column_of(s, columns) == Some(k))
                .map(|s| s.end)
                .max()
                .unwrap_or(0)
        })
        .collect();
    let bad = |k: usize, prev: &Option<Seg>, nxt: &Option<Seg>| -> i64 {
        let (Some(prev), Some(nxt)) = (prev, nxt) else {
            return 0;
        };
        let indented = nxt.start - columns[column_of(nxt, columns).unwrap_or(0)] >= 2;
        if !ends_sentence(&prev.text) {
            return i64::from(indented);
        }
        i64::from(prev.end < right[k] - 2 && !indented)
    };
    let n = columns.len();
    let (last, under, head) = (&rows[above], &rows[below], &rows[top]);
    let (mut goes_on, mut ends) = (0, 0);
    // The words' bad joins, from the same two readings; counted after the last lines,
    // which weigh only where the lines' own joins fall short.
    let (mut word_on, mut word_ends) = (0, 0);
    for k in 0..n {
        let prev = at(last, k);
        let Some(seg) = prev.as_ref() else {
            goes_on += i64::from(at(under, k).is_some());
            continue;
        };
        let down = at(under, k);
        let across = if k + 1 < n { at(head, k + 1) } else { at(under, 0) };
        goes_on += bad(k, &prev, &down);
        ends += bad(k, &prev, &across);
        let (in_word_down, in_word_across) = (breaks_a_word(lexicon, seg, &down), breaks_a_word(lexicon, seg, &across));
        word_on += i64::from(in_word_across && !in_word_down);
        word_ends += i64::from(in_word_down && !in_word_across);
    }
    if end > below && goes_on < ends + BAND_END_MARGIN {
        for k in 0..n - 1 {
            let bottom = rows[below..end]
                .iter()
                .rev()
                .find_map(|r| r.iter().find(|s| column_of(s, columns) == Some(k)).cloned());
            goes_on += bad(k, &bottom, &at(head, k + 1));
            ends += bad(k, &bottom, &at(under, k + 1));
        }
    }
    (goes_on + word_on, ends + word_ends)
}

/// `_breaks_a_word`: the lexicon's best segmentation of the last WORD_CONTEXT
/// characters of `prev` and the first of `nxt` has a word across the join.
fn breaks_a_word(lexicon: &Lexicon, prev: &Seg, nxt: &Option<Seg>) -> bool {
    let Some(nxt) = nxt else {
        return false;
    };
    let n = prev.text.chars().count();
    let tail: String = prev.text.chars().skip(n.saturating_sub(WORD_CONTEXT)).collect();
    let head: String = nxt.text.chars().take(WORD_CONTEXT).collect();
    if tail.is_empty() || head.is_empty() {
        return false;
    }
    let at = tail.chars().count();
    let (_, ends) = lexicon.segmentation(&(tail + &head));
    // The word that holds the tail's last character ends after the join.
    ends.into_iter().find(|&end| end >= at).is_some_and(|end| end > at)
}

/// `_emit`.
fn emit(region: &[&Row], columns: &[i64], out: &mut Vec<String>) {
    for (k, &start) in columns.iter().enumerate() {
        for row in region {
            for seg in row.iter() {
                if column_of(seg, columns) == Some(k) {
                    let indent = if seg.start - start >= 2 { "\u{3000}\u{3000}" } else { "" };
                    out.push(format!("{indent}{}", seg.text));
                }
            }
        }
    }
}

/// `_extent`.
fn extent(rows: &[Row], i: usize, columns: &[i64], cells: bool) -> (usize, Vec<Row>, Vec<i64>) {
    let mut columns = columns.to_vec();
    let mut j = i;
    let mut blank = 0;
    let mut cut: Vec<Row> = Vec::new();
    while j < rows.len() && blank < BAND_GAP {
        let mut row = rows[j].clone();
        if !row.is_empty() {
            row = split_at_gutters(&row, &columns, cells);
            if !fits(&row, &columns) {
                match moved_left(&row, &columns) {
                    Some(moved) if cut.iter().all(|r| r.is_empty() || fits(r, &moved)) => {
                        columns = moved;
                    }
                    _ => break,
                }
            }
        }
        blank = if row.is_empty() { blank + 1 } else { 0 };
        cut.push(row);
        j += 1;
    }
    (j, cut, columns)
}

/// `_moved_left`.
fn moved_left(row: &Row, columns: &[i64]) -> Option<Vec<i64>> {
    let mut moved = columns.to_vec();
    for seg in row {
        for (k, &start) in columns.iter().enumerate() {
            if 2 <= start - seg.start
                && start - seg.start <= INDENT_SLACK
                && (k == 0 || seg.start > columns[k - 1])
            {
                moved[k] = seg.start;
            }
        }
    }
    (moved != columns && fits(row, &moved)).then_some(moved)
}

/// `_band_ends`.
fn band_ends(rows: &[Row]) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut blank = 0i64;
    for (k, row) in rows.iter().enumerate() {
        blank = if row.is_empty() { blank + 1 } else { 0 };
        if blank == BAND_GAP {
            ends.push(k + 1 - blank as usize);
        }
    }
    ends.push(rows.len());
    ends
}

/// A region as `Region` holds it: first line, end, the columns' starts.
type RegionTuple = (usize, usize, Vec<i64>);
/// What `reorder` finds: (segments taken, of them at their column's start), the lines,
/// the regions.
type Reordered = ((usize, usize), Vec<String>, Vec<RegionTuple>);

/// `columns._region_top`: where a region found at row `i` starts, the first of the
/// `passed` rows just above it (left whole) that its columns fit.
fn region_top(rows: &[Row], i: usize, passed: usize, columns: &[i64], cells: bool) -> usize {
    let mut top = i;
    while top > i - passed && fits(&split_at_gutters(&rows[top - 1], columns, cells), columns) {
        top -= 1;
    }
    top
}

/// `_reorder`: None where no region was found.
pub(crate) fn reorder(lines: &[String], cells: bool, lexicon: &Lexicon) -> Option<Reordered> {
    let mut rows: Vec<Row> = lines.iter().map(|l| segments(l, cells)).collect();
    let ends = band_ends(&rows);
    let mut out: Vec<String> = Vec::new();
    let mut found: Vec<RegionTuple> = Vec::new();
    let (mut taken, mut exact) = (0usize, 0usize);
    let mut i = 0;
    let mut passed = 0usize; // the rows just above row i left whole, each of two segments or more
    while i < lines.len() {
        if rows[i].len() < 2 {
            out.push(lines[i].clone());
            i += 1;
            passed = 0;
            continue;
        }
        let next_end = ends[ends.partition_point(|&e| e <= i)];
        let band = next_end.min(i + BAND_ROWS);
        let ahead: Vec<&Row> = rows[i..band].iter().filter(|r| !r.is_empty()).take(LOOKAHEAD).collect();
        let columns = match column_starts(&ahead, false) {
            Some(c) if fits(&split_at_gutters(&rows[i], &c, cells), &c) => c,
            _ => {
                out.push(lines[i].clone());
                i += 1;
                passed += 1;
                continue;
            }
        };
        let top = region_top(&rows, i, passed, &columns, cells);
        out.truncate(out.len() - (i - top));
        i = top;
        passed = 0;
        let (mut j, mut cut, mut columns) = extent(&rows, i, &columns, cells);
        if j < rows.len() && !rows[j].is_empty() {
            let all: Vec<&Row> = rows[i..band].iter().collect();
            if let Some(wide) = column_starts(&all, true) {
                if wide.len() > columns.len() {
                    let (j2, cut2, wide) = extent(&rows, i, &wide, cells);
                    if j2 > j {
                        (j, cut, columns) = (j2, cut2, wide);
                    }
                }
            }
        }
        rows.splice(i..j, cut);
        while j > i && rows[j - 1].is_empty() {
            j -= 1;
        }
        if rows[i..j].iter().filter(|r| r.len() >= 2).count() >= MIN_MULTI_LINES {
            for (first, end) in bands(&rows, i, j, &columns, lexicon) {
                let region: Vec<&Row> = rows[first..end].iter().filter(|r| !r.is_empty()).collect();
                found.push((first, end, columns.clone()));
                emit(&region, &columns, &mut out);
                taken += region.iter().map(|r| r.len()).sum::<usize>();
                exact += region
                    .iter()
                    .flat_map(|r| r.iter())
                    .filter(|s| columns.contains(&s.start))
                    .count();
            }
        } else {
            out.extend(lines[i..j].iter().cloned());
        }
        i = j;
    }
    (taken > 0).then_some(((taken, exact), out, found))
}

/// `columns._reorder_reference(lines, cells=cells)` with its regions: None, or the
/// (segments taken, of them at their column's start), the lines, the regions
/// (first line, end, column starts).
#[pyfunction]
#[pyo3(signature = (lines, *, cells, lexicon))]
pub fn reorder_columns(
    py: Python<'_>,
    lines: Vec<String>,
    cells: bool,
    lexicon: Py<Lexicon>,
) -> Option<Reordered> {
    let lexicon = lexicon.get();
    py.allow_threads(|| reorder(&lines, cells, lexicon))
}

/// `columns.segments(line, cells=cells)` as (start, end, text) triples.
#[pyfunction]
#[pyo3(signature = (line, *, cells))]
pub fn column_segments(line: &str, cells: bool) -> Vec<(i64, i64, String)> {
    segments(line, cells).into_iter().map(|s| (s.start, s.end, s.text)).collect()
}
