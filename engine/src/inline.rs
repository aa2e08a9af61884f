//! Inline rules, compiled: each function is the Python rule of the same name
//! (`textclean.rules.*`), which stays the specification (`tests/test_engine.py` holds
//! the two equal).

use crate::layout::{is_credit_line, is_han, is_hspace, is_letter, is_py_space, is_strong};
use crate::paragraphs::py_digit;
use crate::tables;

/// A line-local rule over a text: `rule` writes each line (without its line break) to
/// the output, and the lines are joined with `\n` as they were; `None` where the
/// result is the text itself.
pub(crate) fn by_line(text: &str, rule: impl Fn(&str, &mut String)) -> Option<String> {
    let mut out = String::with_capacity(text.len() + 16);
    for (k, line) in text.split('\n').enumerate() {
        if k > 0 {
            out.push('\n');
        }
        rule(line, &mut out);
    }
    (out != text).then_some(out)
}

/// A pattern's `sub` over a line, as the twins run it: from each position, `find`
/// gives the end of a match that starts there (the pattern's leftmost match), and
/// `fix` writes its replacement; matches do not overlap, and each is decided on the
/// line as it was.
fn sub_matches(
    line: &str,
    out: &mut String,
    find: impl Fn(&[char], usize) -> Option<usize>,
    fix: impl Fn(&[char], usize, usize, &mut String),
) {
    let s: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < s.len() {
        match find(&s, i) {
            Some(end) => {
                fix(&s, i, end, out);
                i = end;
            }
            None => {
                out.push(s[i]);
                i += 1;
            }
        }
    }
}

fn is_neutral(c: char) -> bool {
    tables::is_neutral_punct(c)
}

/// `spaces._keeps_parallel_space`: a line of two parallel phrases, four or more
/// headline characters each, one space between them (and two Han characters, no
/// credit line).
fn keeps_parallel_space(line: &str) -> bool {
    let chars: Vec<char> = line.chars().collect();
    if chars.len() > 40 {
        return false;
    }
    let phrase = |c: char| is_han(c) || "“”《》·—".contains(c) || c.is_ascii_alphanumeric();
    let Some(gap) = chars.iter().position(|&c| !phrase(c)) else {
        return false;
    };
    let parallel = gap >= 4
        && is_hspace(chars[gap])
        && chars.len() - gap > 4
        && chars[gap + 1..].iter().all(|&c| phrase(c));
    parallel && chars.iter().filter(|&&c| is_han(c)).count() >= 2 && !is_credit_line(line)
}

/// Whether `chars[..end]` ends with STRONG (S* NEUTRAL){0,2}: `_CJK_SPACE`'s first
/// lookbehind.
fn strong_before(chars: &[char], end: usize) -> bool {
    let mut i = end;
    for _ in 0..=2 {
        if i == 0 {
            return false;
        }
        if is_strong(chars[i - 1]) {
            return true;
        }
        if !is_neutral(chars[i - 1]) {
            return false;
        }
        i -= 1;
        while i > 0 && is_hspace(chars[i - 1]) {
            i -= 1;
        }
    }
    false
}

/// Whether `chars[start..]` starts with (NEUTRAL S*){0,2} STRONG: `_CJK_SPACE`'s
/// second lookahead.
fn strong_after(chars: &[char], start: usize) -> bool {
    let mut i = start;
    for _ in 0..=2 {
        match chars.get(i) {
            Some(&c) if is_strong(c) => return true,
            Some(&c) if is_neutral(c) => {
                i += 1;
                while chars.get(i).is_some_and(|&c| is_hspace(c)) {
                    i += 1;
                }
            }
            _ => return false,
        }
    }
    false
}

/// `_CJK_SPACE.sub("", line)`: each run of spaces (they match whole: each
/// alternative needs a non-space beside the run) goes where CJK text, perhaps past
/// up to two neutral marks, is on one side, or where a Chinese ellipsis or dash
/// follows a Latin letter, digit or percent sign.
fn drop_cjk_spaces(line: &str, out: &mut String) {
    let chars: Vec<char> = line.chars().collect();
    let mut k = 0;
    while k < chars.len() {
        if !is_hspace(chars[k]) {
            out.push(chars[k]);
            k += 1;
            continue;
        }
        let (a, mut b) = (k, k);
        while b < chars.len() && is_hspace(chars[b]) {
            b += 1;
        }
        let prev = if a > 0 { Some(chars[a - 1]) } else { None };
        let next = chars.get(b).copied();
        let goes = (next.is_some() && strong_before(&chars, a))
            || (prev.is_some() && strong_after(&chars, b))
            || (prev.is_some_and(|c| c.is_ascii_alphanumeric() || c == '%')
                && (chars[b..].starts_with(&['…', '…']) || chars[b..].starts_with(&['—', '—'])));
        if !goes {
            out.extend(&chars[a..b]);
        }
        k = b;
    }
}

/// `spaces.remove_cjk_spaces`.
pub(crate) fn remove_cjk_spaces(text: &str) -> Option<String> {
    if !text.contains(' ') {
        return None;
    }
    by_line(text, |line, out| {
        if !line.contains(' ') || keeps_parallel_space(line) {
            out.push_str(line);
        } else {
            drop_cjk_spaces(line, out);
        }
    })
}

/// The end of the run of ASCII digits from `k`.
fn digits_end(chars: &[char], mut k: usize) -> usize {
    while k < chars.len() && chars[k].is_ascii_digit() {
        k += 1;
    }
    k
}

/// `_SPACED_NUMBER_PARTS`' lookahead: a percent or per-mille sign, or a CJK letter.
fn ends_number(chars: &[char], k: usize) -> bool {
    chars.get(k).is_some_and(|&c| "%％‰".contains(c) || is_letter(c))
}

/// Where `_SPACED_NUMBER_PARTS` matches at `p` (a digit with no letter, digit or
/// point before it), the match's end. Every quantifier takes a whole run (a shorter
/// one leaves a digit or a space where the pattern needs something else), so each
/// alternative is one pass.
fn number_parts_at(chars: &[char], p: usize) -> Option<usize> {
    let q = digits_end(chars, p);
    // [0-9]+ (?: S+ \. S* | \. S+ ) [0-9]+ (?=…)
    let mut r = q;
    while r < chars.len() && is_hspace(chars[r]) {
        r += 1;
    }
    let after_point = if r > q && chars.get(r) == Some(&'.') {
        let mut s = r + 1;
        while s < chars.len() && is_hspace(chars[s]) {
            s += 1;
        }
        Some(s)
    } else if r == q && chars.get(q) == Some(&'.') {
        let mut s = q + 1;
        while s < chars.len() && is_hspace(chars[s]) {
            s += 1;
        }
        (s > q + 1).then_some(s)
    } else {
        None
    };
    if let Some(s) = after_point {
        let t = digits_end(chars, s);
        if t > s && ends_number(chars, t) {
            return Some(t);
        }
    }
    // [0-9]{1,3} (?: [0-9]{1,3}){2,} (?=…)
    if q - p > 3 {
        return None;
    }
    let (mut pos, mut groups) = (q, 0);
    while chars.get(pos) == Some(&' ') && chars.get(pos + 1).is_some_and(char::is_ascii_digit) {
        let end = digits_end(chars, pos + 1);
        if end - pos - 1 > 3 {
            return None;
        }
        groups += 1;
        pos = end;
    }
    (groups >= 2 && ends_number(chars, pos)).then_some(pos)
}

/// `spaces.join_spaced_number_parts`.
pub(crate) fn join_spaced_number_parts(text: &str) -> Option<String> {
    // A match that holds no space is written as it was.
    if !text.contains(is_hspace) {
        return None;
    }
    by_line(text, |line, out| {
        if !line.bytes().any(|b| b.is_ascii_digit()) || !line.contains(is_hspace) || !line.chars().any(is_strong) {
            out.push_str(line);
            return;
        }
        let find = |chars: &[char], i: usize| {
            let free = i == 0 || !(chars[i - 1].is_ascii_alphanumeric() || chars[i - 1] == '.');
            (chars[i].is_ascii_digit() && free).then(|| number_parts_at(chars, i)).flatten()
        };
        sub_matches(line, out, find, |chars, i, end, out| {
            out.extend(chars[i..end].iter().filter(|&&c| !is_hspace(c)));
        });
    })
}

/// `characters._IDEOGRAPH_HINT`: the blocks the table maps from.
pub(crate) fn maybe_ideograph(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x2FDF | 0xF900..=0xFAFF | 0x2F800..=0x2FA1F)
}

/// `characters.map_compatibility_ideographs`: `text.translate(cd.IDEOGRAPH_TABLE)`.
pub(crate) fn map_compatibility_ideographs(text: &str) -> Option<String> {
    let mapped = |c: char| {
        if !maybe_ideograph(c) {
            return c;
        }
        mapped(tables::IDEOGRAPHS, c).unwrap_or(c)
    };
    if !text.chars().any(|c| mapped(c) != c) {
        return None;
    }
    Some(text.chars().map(mapped).collect())
}

// --- widen_cjk_punctuation -------------------------------------------------------------

/// `punctuation._WIDE`: the full-width form of an ASCII mark.
fn wide(c: char) -> char {
    mapped(tables::WIDE, c).unwrap_or(c)
}

/// A character's image under a table of one character to one character (tables.rs).
pub(crate) fn mapped(table: &[(u32, u32)], c: char) -> Option<char> {
    let k = table.binary_search_by_key(&(c as u32), |&(k, _)| k).ok()?;
    char::from_u32(table[k].1)
}

/// A mark of `_ASCII_MARK`'s runs (`[,;!?:]`: the marks of `_WIDE` but the point).
fn is_run_mark(c: char) -> bool {
    c != '.' && tables::is_wide_mark(c)
}


/// `punctuation.neighbours` within a line: the nearest non-space characters before
/// `start` and from `end`.
pub(crate) fn neighbours(s: &[char], start: usize, end: usize) -> (Option<char>, Option<char>) {
    let left = s[..start].iter().rev().find(|&&c| !is_hspace(c)).copied();
    let right = s[end..].iter().find(|&&c| !is_hspace(c)).copied();
    (left, right)
}

/// `punctuation._before_token`.
fn before_token(s: &[char], i: usize) -> Option<char> {
    let mut j = i as isize - 1;
    while j >= 0 && is_hspace(s[j as usize]) {
        j -= 1;
    }
    let end = j;
    let mut letters = false;
    while j >= 0 && {
        let c = s[j as usize];
        tables::is_token_char(c) || ((c == ',' || c == ':') && j < end && py_digit(s[j as usize + 1]))
    } {
        letters |= s[j as usize].is_ascii_alphabetic();
        j -= 1;
    }
    let mut k = j;
    while k >= 0 && is_hspace(s[k as usize]) {
        k -= 1;
    }
    if letters && k != j {
        return None;
    }
    (k >= 0).then(|| s[k as usize])
}

fn cjk_left(c: Option<char>) -> bool {
    c.is_some_and(|c| is_strong(c) || tables::is_cjk_closer(c))
}

fn cjk_right(c: Option<char>) -> bool {
    c.is_some_and(|c| is_strong(c) || tables::is_cjk_opener(c))
}

fn ascii_digit(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_digit())
}

/// `punctuation._widen_mark`: the mark `s[i..end]` as it should be written.
fn widen_mark(s: &[char], i: usize, end: usize, out: &mut String) {
    let keep = |out: &mut String| out.extend(&s[i..end]);
    let (mut left, right) = neighbours(s, i, end);
    if end - i > 1 {
        if left.is_some_and(tables::is_token_char) {
            left = before_token(s, i);
        }
        if cjk_left(left) || cjk_right(right) {
            out.extend(s[i..end].iter().map(|&c| wide(c)));
        } else {
            keep(out);
        }
        return;
    }
    let mark = s[i];
    if mark == '.' {
        if (i > 0 && s[i - 1] == '.') || s.get(i + 1) == Some(&'.') {
            keep(out);
        } else if i > 0 && is_han(s[i - 1]) && (right.is_none() || cjk_right(right)) {
            out.push('。');
        } else {
            keep(out);
        }
        return;
    }
    if ascii_digit(left) && ascii_digit(right) {
        return keep(out);
    }
    if left.is_some_and(tables::is_token_char) {
        left = before_token(s, i);
    }
    let (cl, cr) = (cjk_left(left), cjk_right(right));
    if mark == ':' && !cl && ascii_digit(left) {
        return keep(out);
    }
    if cl || cr {
        out.push(wide(mark));
    } else {
        keep(out);
    }
}

/// `_ASCII_MARK.sub(_widen_mark, line)`: a run of two or more of `[,;!?:]`, or one
/// mark of `[,;!?:.]`, each decided on the line as it was.
fn widen_line(line: &str, out: &mut String) {
    let find = |s: &[char], i: usize| {
        if !tables::is_wide_mark(s[i]) {
            return None;
        }
        let run = s[i..].iter().take_while(|&&c| is_run_mark(c)).count();
        Some(i + if run >= 2 { run } else { 1 })
    };
    sub_matches(line, out, find, widen_mark);
}

/// `punctuation.widen_cjk_punctuation`.
pub(crate) fn widen_cjk_punctuation(text: &str) -> Option<String> {
    by_line(text, |line, out| {
        if line.chars().any(tables::is_wide_mark) && line.chars().any(is_strong) {
            widen_line(line, out);
        } else {
            out.push_str(line);
        }
    })
}

// --- normalize_spaces ------------------------------------------------------------------

class!(is_letter_number_mark, tables::UNI_LNM);
class!(pub(crate) is_letter_number, tables::UNI_LN);

/// `_LATIN_GAP`'s spaces: a space, a tab or an ideographic space.
fn is_latin_gap_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{3000}')
}

/// `_ODD_SPACE.sub(" ", line)`: every run of spaces but a single ASCII space becomes
/// one (a run matches whole: the pattern's first alternative takes a run that opens
/// with another space, its second one of two or more that opens with an ASCII one).
fn one_space_each(line: &str, out: &mut String) {
    let mut rest = line;
    while let Some(start) = rest.find(is_hspace) {
        out.push_str(&rest[..start]);
        let run = &rest[start..];
        let end = run.find(|c| !is_hspace(c)).unwrap_or(run.len());
        out.push(' ');
        rest = &run[end..];
    }
    out.push_str(rest);
}

/// `_LATIN_GAP.sub(" ", line)`: a run of spaces, tabs and ideographic spaces between
/// a letter, digit or mark and a letter or digit, unless it is one ASCII space. A
/// match takes a whole run: its ends must touch characters that are none of these.
fn latin_gaps(line: &str, out: &mut String) {
    let find = |s: &[char], i: usize| {
        let run = s[i..].iter().take_while(|&&c| is_latin_gap_space(c)).count();
        let end = i + run;
        let gap = run > 0
            && (s[i] != ' ' || run >= 2)
            && i > 0
            && is_letter_number_mark(s[i - 1])
            && s.get(end).is_some_and(|&c| is_letter_number(c));
        gap.then_some(end)
    };
    sub_matches(line, out, find, |_, _, _, out| out.push(' '));
}

/// `spaces.normalize_spaces`.
pub(crate) fn normalize_spaces(text: &str) -> Option<String> {
    by_line(text, |line, out| {
        let line = line.trim_matches(is_hspace);
        if line.chars().any(is_strong) {
            one_space_each(line, out);
        } else {
            latin_gaps(line, out);
        }
    })
}

// --- collapse_spaced_digits ------------------------------------------------------------

/// `[0-9]|[.．]`: what a spaced number opens with.
fn opens_spaced_number(c: char) -> bool {
    c.is_ascii_digit() || c == '.' || c == '．'
}

fn is_percent(c: char) -> bool {
    c == '%' || c == '％'
}

/// `_SPACED_NUMBER`'s first alternative at `p` (which holds a digit or a point): the
/// match's end. Each step is a run of one or two spaces (a longer run leaves a space
/// where a digit must stand) and a digit, point or percent sign that no ASCII letter
/// or digit follows; the steps repeat as long as they can.
fn spaced_number_at(s: &[char], p: usize) -> Option<usize> {
    if p > 0 && (s[p - 1].is_ascii_alphanumeric() || s[p - 1] == '.') {
        return None;
    }
    let mut end = p + 1;
    loop {
        let mut q = end;
        while q < s.len() && q - end < 3 && is_hspace(s[q]) {
            q += 1;
        }
        let run = q - end;
        let part = s.get(q).is_some_and(|&c| opens_spaced_number(c) || is_percent(c));
        if run == 0 || run > 2 || !part || s.get(q + 1).is_some_and(char::is_ascii_alphanumeric)
        {
            break;
        }
        end = q + 1;
    }
    (end > p + 1).then_some(end)
}

/// `_SPACED_NUMBER`'s second alternative at `p` (which holds a space): a run of
/// spaces after a digit and before a percent sign.
fn percent_gap_at(s: &[char], p: usize) -> Option<usize> {
    if p == 0 || !s[p - 1].is_ascii_digit() {
        return None;
    }
    let end = p + s[p..].iter().take_while(|&&c| is_hspace(c)).count();
    s.get(end).is_some_and(|&c| is_percent(c)).then_some(end)
}

/// `collapse_spaced_digits`' `fix`: the match `s[i..end]` without its spaces where it
/// holds a digit (or is all spaces) and CJK text is its nearest neighbour.
fn collapse_match(s: &[char], i: usize, end: usize, out: &mut String) {
    let span = &s[i..end];
    let digit = span.iter().any(char::is_ascii_digit);
    let blank = span.iter().all(|&c| is_py_space(c));
    let (left, right) = neighbours(s, i, end);
    if (!digit && !blank) || !(left.is_some_and(is_strong) || right.is_some_and(is_strong)) {
        out.extend(span);
    } else {
        out.extend(span.iter().filter(|&&c| !is_hspace(c)));
    }
}

/// `spaces.collapse_spaced_digits` (a match never spans a line break, and a
/// neighbour stops at one: the rule runs line by line).
pub(crate) fn collapse_spaced_digits(text: &str) -> Option<String> {
    // A match that holds no space is written as it was.
    if !text.contains(is_hspace) {
        return None;
    }
    by_line(text, |line, out| {
        if !line.chars().any(opens_spaced_number) || !line.contains(is_hspace) {
            out.push_str(line);
            return;
        }
        let find = |s: &[char], i: usize| {
            if opens_spaced_number(s[i]) {
                spaced_number_at(s, i)
            } else if is_hspace(s[i]) {
                percent_gap_at(s, i)
            } else {
                None
            }
        };
        sub_matches(line, out, find, collapse_match);
    })
}

// --- normalize_ellipses_and_dashes ---------------------------------------------------

/// The length of the run of `c` from `p`.
fn run_of(s: &[char], p: usize, c: char) -> usize {
    s[p..].iter().take_while(|&&x| x == c).count()
}

/// The end of the spaced lone ellipses that follow a lone one ending at `q` (each a run
/// of spaces and a `…` that no `…` follows: `_ELLIPSIS`' `(?:S+…(?!…))*`).
fn spaced_lone_ellipses(s: &[char], mut q: usize) -> usize {
    let c = '…';
    loop {
        let spaces = s[q..].iter().take_while(|&&x| is_hspace(x)).count();
        let at = q + spaces;
        if spaces == 0 || s.get(at) != Some(&c) || s.get(at + 1) == Some(&c) {
            return q;
        }
        q = at + 1;
    }
}

/// A hyphen-like mark of `[-－─]`.
fn is_dash_part(c: char) -> bool {
    matches!(c, '-' | '－' | '─')
}

/// Where `_ELLIPSIS` matches at `p`, the match's end: the alternatives in the
/// pattern's order, each of which a character opens.
fn ellipsis_at(s: &[char], p: usize) -> Option<usize> {
    let c = s[p];
    let next = s.get(p + 1).copied();
    let prev = if p > 0 { Some(s[p - 1]) } else { None };
    match c {
        '.' | '。' => Some(run_of(s, p, c)).filter(|&n| n >= 3).map(|n| p + n),
        '·' | '・' => {
            let n = s[p..].iter().take_while(|&&x| x == '·' || x == '・').count();
            (n >= 3).then_some(p + n)
        }
        '⋯' => Some(p + run_of(s, p, c)),
        '…' => (prev != Some('…') && next != Some('…')).then(|| spaced_lone_ellipses(s, p + 1)),
        '-' | '－' | '─' | '–' => {
            let n = run_of(s, p, c);
            if n >= 2 {
                Some(p + n)
            } else {
                (c != '–' && next == Some('—')).then_some(p + 2)
            }
        }
        '—' => {
            if next.is_some_and(is_dash_part) {
                return Some(p + 2);
            }
            if prev == Some('—') {
                return None;
            }
            // `(?<!—)—S+—(?!—)`: one spaced mark, no repetition.
            let spaces = s[p + 1..].iter().take_while(|&&x| is_hspace(x)).count();
            let at = p + 1 + spaces;
            (spaces > 0 && s.get(at) == Some(&'—') && s.get(at + 1) != Some(&'—'))
                .then_some(at + 1)
        }
        _ => None,
    }
}

/// `punctuation._may_hold_ellipsis`: false only where `_ELLIPSIS` has no match.
///
/// One pass over the characters: where one could open an alternative (the first
/// character of an `ELLIPSIS_STARTS` string, a dot of a run of three, an em dash
/// before a space), the alternative is tried there.
fn may_hold_ellipsis(text: &str) -> bool {
    static FIRSTS: std::sync::OnceLock<Box<[u64; 1024]>> = std::sync::OnceLock::new();
    let firsts = FIRSTS.get_or_init(|| {
        let mut cps: Vec<(u32, u32)> = tables::ELLIPSIS_STARTS
            .iter()
            .filter_map(|s| s.chars().next())
            .chain(['·', '・', '—'])
            .map(|c| (c as u32, c as u32))
            .collect();
        cps.sort_unstable();
        crate::bmp_bits(&cps)
    });
    let dots = |c: char| c == '·' || c == '・';
    let mut run = 0; // dots in a row up to here
    for (i, c) in text.char_indices() {
        let cp = c as u32;
        if cp >= 0x10000 || (firsts[(cp >> 6) as usize] >> (cp & 63)) & 1 == 0 {
            run = 0;
            continue;
        }
        if dots(c) {
            run += 1;
            if run >= 3 {
                return true;
            }
            continue;
        }
        run = 0;
        let rest = &text[i..];
        if tables::ELLIPSIS_STARTS.iter().any(|start| rest.starts_with(start))
            || (c == '—' && rest[c.len_utf8()..].starts_with(is_hspace))
        {
            return true;
        }
    }
    false
}

/// `normalize_ellipses_and_dashes`' `fix` for the match `s[i..end]`.
fn fix_ellipsis(s: &[char], i: usize, end: usize, out: &mut String) {
    let m = &s[i..end];
    let (mut left, right) = neighbours(s, i, end);
    if left.is_some_and(tables::is_token_char) {
        left = before_token(s, i);
    }
    let (first, last) = (m[0], m[m.len() - 1]);
    let mut chinese = left.is_some_and(is_strong) || right.is_some_and(is_strong) || first == '。';
    if first == '—' && last == '—' {
        chinese |= left.is_some_and(tables::is_mark_around) && right.is_some_and(tables::is_mark_around);
    }
    if !chinese {
        out.extend(m);
    } else if first == '…' {
        let marks = m.iter().filter(|&&c| c == '…').count();
        for _ in 0..marks.div_ceil(2) {
            out.push_str("……");
        }
    } else if matches!(first, '.' | '。' | '·' | '・' | '⋯') {
        out.push_str("……");
    } else {
        out.push_str("——");
    }
}

/// `punctuation.normalize_ellipses_and_dashes` (a match never spans a line break, and
/// its neighbours stop at one: the rule runs line by line).
pub(crate) fn normalize_ellipses_and_dashes(text: &str) -> Option<String> {
    if !may_hold_ellipsis(text) {
        return None;
    }
    by_line(text, |line, out| {
        if may_hold_ellipsis(line) {
            sub_matches(line, out, ellipsis_at, fix_ellipsis);
        } else {
            out.push_str(line);
        }
    })
}
