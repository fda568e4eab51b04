//! What a PDF page is drawn from: text runs at positions and rules, in PDF points from the
//! page's top-left corner. The page model (`layout::pages`, drawn by `paint`) says where every
//! line goes; this module and `draw` only put it on paper.

use crate::layout::style::FontRole;

/// One page of paper.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// Points: A4 portrait 595.3 × 841.9, landscape the other way round.
    pub width: f32,
    pub height: f32,
    pub marks: Vec<Mark>,
}

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    pub const BLACK: Rgb = Rgb(0, 0, 0);

    /// `RRGGBB`, as `Style` names its red; black when it is not one.
    pub fn hex(s: &str) -> Rgb {
        let byte = |i: usize| s.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok());
        match (byte(0), byte(2), byte(4)) {
            (Some(r), Some(g), Some(b)) => Rgb(r, g, b),
            _ => Rgb::BLACK,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Mark {
    /// A run of text on one line, set from `x` on the baseline `y`: each character its glyph's
    /// advance at `size` plus `tracking`, times `stretch` (a condensed 标志 is below 1);
    /// `quarter` turns it about (x, y) by quarter turns clockwise (a landscape page's 页码).
    Text { x: f32, y: f32, role: FontRole, size: f32, tracking: f32, stretch: f32, color: Rgb, quarter: i8, text: String },
    /// A straight rule from (x1, y1) to (x2, y2), `width` points thick.
    Rule { x1: f32, y1: f32, x2: f32, y2: f32, width: f32, color: Rgb },
}

/// Twips (the style's unit) in points.
pub fn pt(twips: impl Into<i64>) -> f32 {
    (twips.into() as f64 / 20.0) as f32
}
