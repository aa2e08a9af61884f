//! Inline rules, compiled: each function is the Python rule of the same name
//! (`textclean.rules.*`), which stays the specification (`tests/test_engine.py` holds
//! the two equal).

use crate::layout::{in_ranges, is_credit_line, is_hspace};
use crate::tables;
use pyo3::prelude::*;

fn is_strong(c: char) -> bool {
    in_ranges(c, tables::CJK_STRONG)
}
fn is_han(c: char) -> bool {
    in_ranges(c, tables::HAN)
}
fn is_neutral(c: char) -> bool {
    tables::NEUTRAL_PUNCT.contains(c)
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
        && chars.len() - gap - 1 >= 4
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
#[pyfunction]
pub fn remove_cjk_spaces(py: Python<'_>, text: &str) -> String {
    py.allow_threads(|| {
        if !text.contains(' ') {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len());
        for (k, line) in text.split('\n').enumerate() {
            if k > 0 {
                out.push('\n');
            }
            if !line.contains(' ') || keeps_parallel_space(line) {
                out.push_str(line);
            } else {
                drop_cjk_spaces(line, &mut out);
            }
        }
        out
    })
}
