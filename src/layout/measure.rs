//! Measures derived from `Style`'s numbers: the writer asks for these, never recomputes them.

use super::style::{Page, Style};

impl Style {
    /// A 发文机关标志 too wide for one line of the 版心 is set condensed (`w:w`, a percentage of
    /// the glyph width, as 红头 are) rather than wrapped; `None` when its longest line fits.
    /// `lines` are the 标志's lines of text; ASCII counts half a character; `width` is the 版心's.
    pub fn letterhead_stretch<'a>(&self, lines: impl IntoIterator<Item = &'a str>, width: u32) -> Option<u32> {
        self.stretch_to(lines, self.letterhead_size, width)
    }

    /// The width in percent that fits every line of a 标志 at `size` into `width`.
    pub fn stretch_to<'a>(&self, lines: impl IntoIterator<Item = &'a str>, size: u32, width: u32) -> Option<u32> {
        let full = i64::from(size) * 10; // half-points → twips
        let spacing = i64::from(self.char_spacing);
        let available = i64::from(width);
        let mut narrowest: Option<u32> = None;
        for line in lines {
            let chars = line.chars().count() as i64;
            let glyphs: i64 = line.chars().map(|c| if c.is_ascii() { full / 2 } else { full }).sum();
            if glyphs == 0 || glyphs + chars * spacing <= available {
                continue;
            }
            // One percent under the exact fit: rounding in the reader must not wrap it.
            let pct = ((available - chars * spacing) * 100 / glyphs - 1).clamp(MIN_LETTERHEAD_STRETCH, 100) as u32;
            narrowest = Some(narrowest.map_or(pct, |n| n.min(pct)));
        }
        narrowest
    }
}

impl Style {
    /// Room above the 页码 in its footer, so the footer fills the foot margin below the 版心
    /// (but a twip) and the number stays at its foot. LibreOffice gives the page style it copies
    /// for an odd-page section break a footer as tall as its content, and no spacing: a footer
    /// only as tall as the number would leave that page's body taller, its line grid centred
    /// 7 pt lower than on the other pages. Word keeps the number at the footer's foot either way.
    pub fn footer_lift(&self, page: &Page) -> u32 {
        page.bottom.saturating_sub(page.footer + self.footer_size * 10 + 1)
    }
}

/// Condensed further than this, a 标志 stops being legible: a longer one wraps instead.
const MIN_LETTERHEAD_STRETCH: i64 = 50;

impl Page {
    /// Where the 版心's grid starts: readers centre its whole lines of `pitch` in the 版心.
    pub fn grid_top(&self, pitch: u32) -> u32 {
        self.text_height() % pitch / 2
    }

    /// Width of the 版心 in twips.
    pub fn text_width(&self) -> u32 {
        self.width - self.left - self.right
    }

    /// Height of the 版心 in twips.
    pub fn text_height(&self) -> u32 {
        self.height - self.top - self.bottom
    }

    /// The page turned for a 横排表格 (GB/T 9704 §8): A4 landscape, its top on the sheet's bound
    /// edge when printed, so the margins turn with it and the 版心 stays where it is on the
    /// sheet — the 订口 on top, the 天头 on the right, the foot on the left.
    pub fn landscape(&self) -> Page {
        Page {
            width: self.height,
            height: self.width,
            top: self.left,
            right: self.top,
            bottom: self.right,
            left: self.bottom,
            // The 页码 is drawn where the portrait pages have theirs (`parts`); the footer only
            // anchors it, and must stay inside the narrower foot margin, off the text.
            footer: self.right / 2,
            header: self.header,
        }
    }
}

/// Measures derived from the numbers above: the writer asks for these, never recomputes them.
impl Style {
    /// One full-width character at `size` (half-points), in twips, without tracking.
    pub fn em(&self, size: u32) -> u32 {
        size * 10
    }

    /// The room `text` takes at `size`: a full-width character an em, an ASCII one half. The
    /// tracking is left out, so the estimate errs wide (a row sized by it never clips).
    pub fn advance(&self, text: &str, size: u32) -> u32 {
        text.chars().map(|c| if c.is_ascii() { self.em(size) / 2 } else { self.em(size) }).sum()
    }

    /// The width `text` is set in at `size`, tracking included: where the next character starts.
    /// For labels of full-width characters, which is what it measures.
    pub fn set_width(&self, text: &str, size: u32) -> u32 {
        let chars = text.chars().count() as i64;
        (i64::from(self.advance(text, size)) + chars * i64::from(self.char_spacing)).max(0) as u32
    }

    /// Where a character of the title ends: its glyph (ASCII half) plus the tracking.
    pub fn title_advance(&self, c: char) -> u32 {
        let em = self.em(self.title_size);
        let glyph = if c.is_ascii() { em / 2 } else { em };
        (i64::from(glyph) + i64::from(self.char_spacing)).max(0) as u32
    }

    /// 左空二字: the first-line indent of body text.
    pub fn body_indent(&self) -> u32 {
        2 * self.char_width
    }

    /// Where a hanging paragraph's later lines start when its first line opens with `label`
    /// after 左空二字 (附件说明 7.3.6: under the first character after the label).
    pub fn hang_after(&self, label: &str) -> (u32, u32) {
        let hang = self.set_width(label, self.body_size);
        (self.body_indent() + hang, hang)
    }

    /// Tab stops every two body characters, so a tab from data lands on the character grid.
    pub fn default_tab_stop(&self) -> u32 {
        2 * self.char_width
    }

    /// 版记 text stands one of its characters in from each side (GB/T 9704 7.4.2, 7.4.3).
    pub fn imprint_indent(&self) -> u32 {
        self.em(self.imprint_size)
    }

    /// The room a 版记 line has between the cell margins and the indents, in a 版心 `width` wide.
    pub fn imprint_text_width(&self, width: u32) -> u32 {
        width - 2 * self.cell_margin - 2 * self.imprint_indent()
    }

    /// The right tab the 印发日期 ends on: one character in from the right, as the 印发机关
    /// stands one in from the left.
    pub fn imprint_date_tab(&self, width: u32) -> u32 {
        width - 2 * self.cell_margin - self.imprint_indent()
    }

    /// What a table's rule adds to each row's height (its width, eighths of a point → twips).
    pub fn table_border_height(&self) -> u32 {
        self.table_border * 20 / 8
    }

    /// The exact height of a 版记 row holding `lines` lines.
    pub fn imprint_row_height(&self, lines: u32) -> u32 {
        lines * self.imprint_line + self.imprint_row_pad
    }
}
