//! The text a workbook may yield, counted before it is copied: a 32,767-character shared string
//! used by 99,998 cells, or one row repeated 99,998 times, is gigabytes once laid out although the
//! file is a few KB. Each reader charges a cell's text (times its repeats) here first.

use super::super::limits::{MAX_TOTAL_TEXT_CHARS, wan};
use super::place;
use crate::diag::{Problem, Problems};
use std::path::Path;

/// Characters charged so far against `MAX_TOTAL_TEXT_CHARS`.
#[derive(Debug, Default, Clone, Copy)]
pub struct TextBudget {
    used: u64,
}

impl TextBudget {
    /// Charges `copies` copies of a text of `chars` characters. Past the bound, `Err` holds which
    /// copy (0-based) crossed it, so the message can name its cell.
    pub fn charge(&mut self, chars: u64, copies: u64) -> Result<(), u64> {
        let total = chars.saturating_mul(copies);
        let left = MAX_TOTAL_TEXT_CHARS - self.used;
        if total > left {
            self.used = MAX_TOTAL_TEXT_CHARS;
            return Err(left / chars.max(1));
        }
        self.used += total;
        Ok(())
    }
}

/// The message for a workbook whose text passes the bound at `row`, `col` of `sheet`.
pub fn too_much_text(shown: &Path, sheet: &str, row: u32, col: u32) -> Problems {
    Problem::error(
        place(shown, sheet, row, col),
        "roster.text-too-large",
        format!(
            "表格中的文字合计超过上限 {}个字符（同一段文字每被一个单元格引用、每重复一行或一列都计一次），读到此单元格时已超出；单位名单远没有这么多文字，请确认选对了文件，或删去表格以外的内容后再试",
            wan(MAX_TOTAL_TEXT_CHARS)
        ),
    )
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_copy_that_crosses_the_bound_is_named() {
        let mut b = TextBudget::default();
        assert_eq!(b.charge(MAX_TOTAL_TEXT_CHARS - 10, 1), Ok(()));
        assert_eq!(b.charge(4, 2), Ok(()));
        // 2 left: copies 0..=1 of one character fit, copy 2 crosses.
        assert_eq!(b.charge(1, 5), Err(2));
        let mut b = TextBudget::default();
        assert_eq!(b.charge(32_767, 99_998), Err(MAX_TOTAL_TEXT_CHARS / 32_767));
        assert_eq!(TextBudget::default().charge(u64::MAX, u64::MAX), Err(0));
        assert_eq!(TextBudget::default().charge(0, u64::MAX), Ok(()));
    }
}
