//! More inline rules, compiled, as functions of a text (`None`: the text stays as it
//! was): `fold_fullwidth_alnum`, `narrow_number_punctuation`, `restore_ocr_marks`,
//! `narrow_latin_punctuation`, `widen_cjk_parentheses`, `join_names_with_dash`,
//! `join_spaced_capitals`, `repair_o_in_numbers` and `restore_yi_from_dash`. Each is
//! the Python rule of the same name (`textclean.rules.*`), which stays the
//! specification (`tests/test_engine.py` holds the two equal). The patterns these
//! rules' Python forms use touch nothing across a line break (but `restore_ocr_marks`'s
//! byline, on the next line), so each runs line by line.

use crate::inline::{by_line as each_line, is_letter_number, mapped, neighbours};
use crate::layout::{is_han, is_strong};
use crate::tables;

/// `[A-Za-z0-9]`.
fn ascii_alnum(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

fn strong(c: Option<char>) -> bool {
    c.is_some_and(is_strong)
}

// --- fold_fullwidth_alnum, narrow_number_punctuation -----------------------------------

/// `punctuation.fold_fullwidth_alnum`: `text.translate(cd.FULLWIDTH_ALNUM)`.
pub(crate) fn fold_fullwidth_alnum(text: &str) -> Option<String> {
    let fold = |c: char| mapped(tables::FOLD_ALNUM, c);
    if !text.chars().any(|c| fold(c).is_some()) {
        return None;
    }
    Some(text.chars().map(|c| fold(c).unwrap_or(c)).collect())
}

/// `punctuation.narrow_number_punctuation`: a mark of `_NARROW` after an ASCII digit
/// and, but for the percent sign, before one (`_NUMBER_PUNCT`).
pub(crate) fn narrow_number_punctuation(text: &str) -> Option<String> {
    let narrow = |c: char| mapped(tables::NARROW_NUMBER, c);
    // Each mark it narrows follows an ASCII digit.
    let after_digit = |line: &str| {
        line.char_indices().any(|(i, c)| i > 0 && line.as_bytes()[i - 1].is_ascii_digit() && narrow(c).is_some())
    };
    if !after_digit(text) {
        return None;
    }
    each_line(text, |line, out| {
        if !after_digit(line) {
            out.push_str(line);
            return;
        }
        let s: Vec<char> = line.chars().collect();
        for (i, &c) in s.iter().enumerate() {
            let after_digit = i > 0 && s[i - 1].is_ascii_digit();
            let before_digit = s.get(i + 1).is_some_and(|c| c.is_ascii_digit());
            match narrow(c) {
                Some(ascii) if after_digit && (c == '％' || before_digit) => out.push(ascii),
                _ => out.push(c),
            }
        }
    })
}

// --- restore_ocr_marks ----------------------------------------------------------------

/// `_OCR_DUN`: 丶 between Han (or a closing mark) and Han (or an opening mark).
fn ocr_dun(text: &str) -> Option<String> {
    let s: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in s.iter().enumerate() {
        let fires = c == '丶'
            && i > 0
            && (is_han(s[i - 1]) || tables::is_cjk_closer(s[i - 1]))
            && s.get(i + 1).is_some_and(|&c| is_han(c) || tables::is_cjk_opener(c));
        out.push(if fires { '、' } else { c });
    }
    (out != text).then_some(out)
}

/// `_OCR_STOP`: · or ・ after a Han character, with only closing marks after it to
/// the line's end.
fn ocr_stop(text: &str) -> Option<String> {
    each_line(text, |line, out| {
        if !line.contains(['·', '・']) {
            out.push_str(line);
            return;
        }
        let s: Vec<char> = line.chars().collect();
        for (i, &c) in s.iter().enumerate() {
            let fires = matches!(c, '·' | '・')
                && i > 0
                && is_han(s[i - 1])
                && s[i + 1..].iter().all(|&c| tables::is_cjk_closer(c));
            out.push(if fires { '。' } else { c });
        }
    })
}

/// `_OCR_SUBTITLE`'s test of a line that opens with 一一 (`rest` is the line after
/// it, `next` the line below, if any).
fn ocr_subtitle(rest: &str, next: Option<&str>) -> bool {
    if rest.chars().any(tables::is_not_in_subtitle) {
        return false;
    }
    let length = rest.chars().count();
    let fits = |n: usize| (1..=tables::SUBTITLE_CHARS).contains(&n);
    let opened = tables::SUBTITLE_OPENERS
        .iter()
        .any(|word| rest.starts_with(word) && length >= word.chars().count() && fits(length - word.chars().count()));
    opened || (fits(length) && next.is_some_and(|line| crate::layout::byline().is_match(line)))
}

pub(crate) fn restore_ocr_marks(text: &str) -> Option<String> {
    let mut now: Option<String> = None;
    if text.contains('丶') {
        now = ocr_dun(text).or(now);
    }
    let current = now.as_deref().unwrap_or(text);
    if current.contains(['·', '・']) {
        now = ocr_stop(current).or(now);
    }
    let current = now.as_deref().unwrap_or(text);
    if current.contains("一一") {
        let lines: Vec<&str> = current.split('\n').collect();
        let mut out = String::with_capacity(current.len());
        for (k, line) in lines.iter().enumerate() {
            if k > 0 {
                out.push('\n');
            }
            match line.strip_prefix("一一") {
                Some(rest) if ocr_subtitle(rest, lines.get(k + 1).copied()) => {
                    out.push_str("——");
                    out.push_str(rest);
                }
                _ => out.push_str(line),
            }
        }
        if out != current {
            now = Some(out);
        }
    }
    now
}

// --- narrow_latin_punctuation ---------------------------------------------------------

class!(is_not_latin_only, tables::NOT_LATIN_ONLY);

/// `_WORDLIKE`: a letter, a digit or a mark of `_WORDLIKE_MARKS`.
fn is_wordlike(c: char) -> bool {
    is_letter_number(c) || tables::is_wordlike_mark(c)
}

fn latin_mark(c: char) -> Option<char> {
    mapped(tables::LATIN_MARKS, c)
}

/// `_LATIN_WORD_SPACE`: `[A-Za-z0-9][ ]+[A-Za-z0-9]`.
fn has_word_space(s: &[char]) -> bool {
    s.iter().enumerate().any(|(i, &c)| {
        ascii_alnum(c) && {
            let spaces = s[i + 1..].iter().take_while(|&&c| c == ' ').count();
            spaces > 0 && s.get(i + 1 + spaces).is_some_and(|&c| ascii_alnum(c))
        }
    })
}

/// `punctuation._narrow_line` of a line `_LATIN_LETTER_LINE` matches.
fn narrow_line(s: &[char], out: &mut String) {
    let marks = s.iter().filter(|&&c| latin_mark(c).is_some()).count();
    if s.iter().any(|&c| is_not_latin_only(c)) || (!has_word_space(s) && marks < 2) {
        out.extend(s);
        return;
    }
    for (i, &c) in s.iter().enumerate() {
        let Some(mark) = latin_mark(c) else {
            out.push(c);
            continue;
        };
        if tables::is_space_before_mark(c) {
            if i > 0 && !tables::is_no_space_before_paren(s[i - 1]) {
                out.push(' ');
            }
            out.push(mark);
        } else {
            out.push(mark);
            if s.get(i + 1).is_some_and(|&c| is_wordlike(c)) {
                out.push(' ');
            }
        }
    }
}

pub(crate) fn narrow_latin_punctuation(text: &str) -> Option<String> {
    if !text.chars().any(|c| latin_mark(c).is_some()) {
        return None;
    }
    each_line(text, |line, out| {
        let opens_latin = line.chars().next().is_some_and(ascii_alnum);
        if !opens_latin
            || !line.chars().any(|c| c.is_ascii_alphabetic())
            || !line.chars().any(|c| latin_mark(c).is_some())
        {
            out.push_str(line);
            return;
        }
        let s: Vec<char> = line.chars().collect();
        narrow_line(&s, out);
    })
}

// --- widen_cjk_parentheses ------------------------------------------------------------

fn is_paren(c: char) -> bool {
    matches!(c, '(' | '（' | ')' | '）')
}

/// `_PARENS`' matches in a line, each widened where `fix` widens it.
fn widen_parens_line(line: &str, out: &mut String) {
    if !line.contains(['(', ')']) {
        out.push_str(line);
        return;
    }
    let s: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < s.len() {
        let closing = matches!(s[i], '(' | '（')
            .then(|| s[i + 1..].iter().position(|&c| is_paren(c)).map(|k| i + 1 + k))
            .flatten()
            .filter(|&j| matches!(s[j], ')' | '）'));
        let Some(j) = closing else {
            out.push(s[i]);
            i += 1;
            continue;
        };
        let inner = &s[i + 1..j];
        let half = s[i] == '(' || s[j] == ')';
        let (left, _) = neighbours(&s, i, i);
        let (_, right) = neighbours(&s, j + 1, j + 1);
        if half && (inner.iter().any(|&c| is_strong(c)) || strong(left) || strong(right)) {
            out.push('（');
            out.extend(inner);
            out.push('）');
        } else {
            out.extend(&s[i..=j]);
        }
        i = j + 1;
    }
}

pub(crate) fn widen_cjk_parentheses(text: &str) -> Option<String> {
    if !text.contains(['(', ')']) {
        return None;
    }
    each_line(text, widen_parens_line)
}

// --- join_names_with_dash -------------------------------------------------------------

/// Whether `_foreign_name_hyphen` has a match whose dash is `s[d]`: a run of name
/// characters before it and after it, and a · before the first run or after the
/// second, or three or more name characters on each side.
fn foreign_name_hyphen(s: &[char], d: usize) -> bool {
    let t = tables::is_transliteration;
    let before = s[..d].iter().rev().take_while(|&&c| t(c)).count();
    let after = s[d + 1..].iter().take_while(|&&c| t(c)).count();
    let dot_before = d > before && s[d - before - 1] == '·';
    let dot_after = s.get(d + 1 + after) == Some(&'·');
    before >= 1 && after >= 1 && (dot_before || dot_after || (before >= 3 && after >= 3))
}

pub(crate) fn join_names_with_dash(text: &str) -> Option<String> {
    if !text.chars().any(tables::is_name_dash) {
        return None;
    }
    each_line(text, |line, out| {
        if !line.chars().any(tables::is_name_dash) {
            out.push_str(line);
            return;
        }
        let s: Vec<char> = line.chars().collect();
        for (i, &c) in s.iter().enumerate() {
            let between = tables::is_name_dash(c)
                && i > 0
                && is_han(s[i - 1])
                && s.get(i + 1).is_some_and(|&c| is_han(c));
            if !between {
                out.push(c);
            } else if foreign_name_hyphen(&s, i) {
                out.push('-');
            } else {
                out.push('—');
            }
        }
    })
}

// --- join_spaced_capitals -------------------------------------------------------------

/// The end of `_SPACED_CAPITALS`' match at `i`, if one starts there: a capital not
/// after a letter or digit (perhaps one space between), two or more `␠[A-Z]` after
/// it, and no letter or digit (perhaps one space between) after them.
fn spaced_capitals_at(s: &[char], i: usize) -> Option<usize> {
    if !s[i].is_ascii_uppercase()
        || (i >= 1 && ascii_alnum(s[i - 1]))
        || (i >= 2 && s[i - 1] == ' ' && ascii_alnum(s[i - 2]))
    {
        return None;
    }
    let mut end = i + 1;
    let mut more = 0;
    while end + 1 < s.len() && s[end] == ' ' && s[end + 1].is_ascii_uppercase() {
        end += 2;
        more += 1;
    }
    let next = s.get(end).copied();
    let runs_on = next.is_some_and(ascii_alnum)
        || (next == Some(' ') && s.get(end + 1).is_some_and(|&c| ascii_alnum(c)));
    (more >= 2 && !runs_on).then_some(end)
}

pub(crate) fn join_spaced_capitals(text: &str) -> Option<String> {
    if !text.contains(' ') || !text.chars().any(is_strong) {
        return None;
    }
    each_line(text, |line, out| {
        // A match is capitals with spaces between them.
        if !line.contains(' ') || !line.bytes().any(|b| b.is_ascii_uppercase()) {
            out.push_str(line);
            return;
        }
        let s: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < s.len() {
            let Some(end) = spaced_capitals_at(&s, i) else {
                out.push(s[i]);
                i += 1;
                continue;
            };
            let (left, right) = neighbours(&s, i, end);
            if strong(left) || strong(right) {
                out.extend(s[i..end].iter().filter(|&&c| c != ' '));
            } else {
                out.extend(&s[i..end]);
            }
            i = end;
        }
    })
}

// --- repair_o_in_numbers --------------------------------------------------------------

fn digit_or_o(c: char) -> bool {
    c.is_ascii_digit() || c == 'O' || c == 'o'
}

pub(crate) fn repair_o_in_numbers(text: &str) -> Option<String> {
    if !text.contains(['O', 'o']) {
        return None;
    }
    each_line(text, |line, out| {
        if !line.contains(['O', 'o']) {
            out.push_str(line);
            return;
        }
        let s: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < s.len() {
            let opens = s[i].is_ascii_digit() && (i == 0 || !(ascii_alnum(s[i - 1]) || s[i - 1] == '.'));
            if !opens {
                out.push(s[i]);
                i += 1;
                continue;
            }
            // No match starts inside the run: a digit or O is before each place.
            let end = i + s[i..].iter().take_while(|&&c| digit_or_o(c)).count();
            let run = &s[i..end];
            let matches = run[1..].iter().any(|&c| c == 'O' || c == 'o')
                && !s.get(end).is_some_and(|&c| ascii_alnum(c));
            if matches && run.iter().filter(|c| c.is_ascii_digit()).count() >= 2 {
                out.extend(run.iter().map(|&c| if c == 'O' || c == 'o' { '0' } else { c }));
            } else {
                out.extend(run);
            }
            i = end;
        }
    })
}

// --- restore_yi_from_dash -------------------------------------------------------------

/// Whether a clause may start at `s[p]` (`_yi_pattern`'s boundary, with no dash just
/// before it).
fn clause_starts(s: &[char], p: usize) -> bool {
    if p == 0 {
        return true;
    }
    let before = s[p - 1];
    !tables::is_dash(before)
        && (tables::is_yi_after(before)
            || (p >= 2 && tables::is_yi_space(before) && tables::is_yi_after_spaced(s[p - 2])))
}

/// Whether a word of `YI_WORD_TAILS` starts `s[from..]`.
fn yi_word_at(s: &[char], from: usize) -> bool {
    tables::YI_WORD_TAILS.iter().any(|word| {
        let mut k = from;
        word.chars().all(|c| {
            let same = s.get(k) == Some(&c);
            k += 1;
            same
        })
    })
}

pub(crate) fn restore_yi_from_dash(text: &str) -> Option<String> {
    if !text.chars().any(tables::is_dash) {
        return None;
    }
    each_line(text, |line, out| {
        if !line.chars().any(tables::is_dash) {
            out.push_str(line);
            return;
        }
        let s: Vec<char> = line.chars().collect();
        for (i, &c) in s.iter().enumerate() {
            let fires = tables::is_dash(c) && !s.get(i + 1).is_some_and(|&c| tables::is_dash(c)) && {
                let spaces_before = s[..i].iter().rev().take_while(|&&c| tables::is_yi_space(c)).count();
                let spaces_after = s[i + 1..].iter().take_while(|&&c| tables::is_yi_space(c)).count();
                (i - spaces_before..=i).any(|p| clause_starts(&s, p)) && yi_word_at(&s, i + 1 + spaces_after)
            };
            out.push(if fires { '一' } else { c });
        }
    })
}
