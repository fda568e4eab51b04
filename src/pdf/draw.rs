//! Sheets → PDF bytes with krilla: every face embedded as a CID font, subset to the glyphs
//! used, with a ToUnicode map so the text copies and searches as it reads.

use super::fonts::{Face, Faces};
use super::sheet::{Mark, Rgb, Sheet};
use krilla::geom::{PathBuilder, Point};
use krilla::num::NormalizedF32;
use krilla::paint::{Fill, Stroke};
use krilla::text::{GlyphId, KrillaGlyph};
use skrifa::MetadataProvider;

/// The document properties a PDF carries.
#[derive(Debug, Clone, Default)]
pub struct PdfMeta {
    pub title: String,
    pub author: String,
    /// The run's date (year, month, day): a fixed date keeps a re-run's PDF byte-identical.
    pub date: Option<(u16, u8, u8)>,
}

#[derive(Debug)]
pub struct DrawError(pub String);

impl std::fmt::Display for DrawError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "生成 PDF 失败：{}", self.0)
    }
}

/// The PDF of `sheets`, in order.
pub fn pdf(sheets: &[Sheet], faces: &Faces, meta: &PdfMeta) -> Result<Vec<u8>, DrawError> {
    let mut doc = krilla::Document::new();
    let mut metadata = krilla::metadata::Metadata::new().title(meta.title.clone()).language("zh-CN".into()).creator("zeren".into());
    if !meta.author.is_empty() {
        metadata = metadata.authors(vec![meta.author.clone()]);
    }
    if let Some((y, m, d)) = meta.date {
        metadata = metadata.creation_date(krilla::metadata::DateTime::new(y).month(m).day(d));
    }
    doc.set_metadata(metadata);
    for sheet in sheets {
        let settings = krilla::page::PageSettings::from_wh(sheet.width, sheet.height)
            .ok_or_else(|| DrawError(format!("页面尺寸无效：{} × {}", sheet.width, sheet.height)))?;
        let mut page = doc.start_page_with(settings);
        let mut surface = page.surface();
        for mark in &sheet.marks {
            match mark {
                Mark::Text { x, y, role, size, tracking, stretch, color, quarter, text } => {
                    if *quarter != 0 {
                        surface.push_transform(&krilla::geom::Transform::from_rotate_at(90.0 * f32::from(*quarter), *x, *y));
                    }
                    // A condensed 标志: the glyphs narrowed about the run's start, as `w:w` does.
                    let condensed = (*stretch - 1.0).abs() > f32::EPSILON;
                    if condensed {
                        surface.push_transform(&krilla::geom::Transform::from_row(*stretch, 0.0, 0.0, 1.0, x * (1.0 - stretch), 0.0));
                    }
                    surface.set_fill(Some(fill(*color)));
                    surface.set_stroke(None);
                    let mut pen = *x;
                    for (face, start, end) in runs(faces, *role, text) {
                        let part = &text[start..end];
                        let glyphs = glyphs(face, part, *size, *tracking);
                        let width: f32 = glyphs.iter().map(|g| g.x_advance * size).sum();
                        surface.draw_glyphs(Point::from_xy(pen, *y), &glyphs, face.font.clone(), part, *size, false);
                        pen += width;
                    }
                    if condensed {
                        surface.pop();
                    }
                    if *quarter != 0 {
                        surface.pop();
                    }
                }
                Mark::Rule { x1, y1, x2, y2, width, color } => {
                    let mut path = PathBuilder::new();
                    path.move_to(*x1, *y1);
                    path.line_to(*x2, *y2);
                    let Some(path) = path.finish() else { continue };
                    surface.set_fill(None);
                    surface.set_stroke(Some(Stroke { paint: rgb(*color).into(), width: *width, ..Stroke::default() }));
                    surface.draw_path(&path);
                }
            }
        }
        surface.finish();
        page.finish();
    }
    doc.finish().map_err(|e| DrawError(format!("{e:?}")))
}

fn rgb(c: Rgb) -> krilla::color::rgb::Color {
    krilla::color::rgb::Color::new(c.0, c.1, c.2)
}

fn fill(c: Rgb) -> Fill {
    Fill { paint: rgb(c).into(), opacity: NormalizedF32::ONE, ..Fill::default() }
}

/// `text` cut where the face that has its characters changes: (face, byte range).
fn runs<'a>(faces: &'a Faces, role: crate::layout::style::FontRole, text: &str) -> Vec<(&'a Face, usize, usize)> {
    let mut out: Vec<(&Face, usize, usize)> = Vec::new();
    for (i, c) in text.char_indices() {
        let face = faces.chain(role).find(|f| glyph(f, c).is_some()).unwrap_or(faces.face(role));
        match out.last_mut() {
            Some((f, _, end)) if std::ptr::eq(*f, face) => *end = i + c.len_utf8(),
            _ => out.push((face, i, i + c.len_utf8())),
        }
    }
    out
}

fn glyph(face: &Face, c: char) -> Option<u32> {
    let font = skrifa::FontRef::from_index(&face.data, face.index).ok()?;
    font.charmap().map(c).map(|g| g.to_u32()).filter(|g| *g != 0)
}

/// One glyph per character (公文 text needs no shaping beyond that), each advancing by the
/// page model's width plus the tracking, normalised to the em as krilla wants.
fn glyphs(face: &Face, text: &str, size: f32, tracking: f32) -> Vec<KrillaGlyph> {
    let Ok(font) = skrifa::FontRef::from_index(&face.data, face.index) else { return Vec::new() };
    let charmap = font.charmap();
    text.char_indices()
        .map(|(i, c)| {
            let id = charmap.map(c).unwrap_or_default();
            // The page model's advances, not the face's: a hanzi an em, ASCII half, so every
            // character stands on the grid whatever the face's own metrics.
            let advance = if c.is_ascii() { 0.5 } else { 1.0 };
            let x_advance = advance + tracking / size;
            KrillaGlyph::new(GlyphId::new(id.to_u32()), x_advance, 0.0, 0.0, 0.0, i..i + c.len_utf8(), None)
        })
        .collect()
}
