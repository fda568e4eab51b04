//! Sheets → PDF bytes with krilla: every face embedded as a CID font, subset to the glyphs
//! used, with a ToUnicode map so the text copies and searches as it reads.

use super::fonts::Faces;
use super::shared::Shared;
use super::sheet::{Mark, Rgb, Sheet};
use krilla::geom::{PathBuilder, Point};
use krilla::num::NormalizedF32;
use krilla::paint::{Fill, Stroke};
use krilla::text::{GlyphId, KrillaGlyph};

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

/// The PDF of `sheets`, in order, the characters `shared` holds drawn from its subsets.
pub fn pdf(sheets: &[Sheet], faces: &Faces, shared: &Shared, meta: &PdfMeta) -> Result<Vec<u8>, DrawError> {
    let mut draft = Draft::new(meta);
    for sheet in sheets {
        draft.sheet(sheet, faces, shared)?;
    }
    draft.finish()
}

/// A PDF drawn a sheet at a time (a print file, its documents as they are laid out): it holds
/// each page drawn, compressed, not the page's marks.
pub struct Draft {
    doc: krilla::Document,
    pages: u32,
}

impl Draft {
    pub fn new(meta: &PdfMeta) -> Draft {
        let mut doc = krilla::Document::new();
        let mut metadata = krilla::metadata::Metadata::new().title(meta.title.clone()).language("zh-CN".into()).creator("zeren".into());
        if !meta.author.is_empty() {
            metadata = metadata.authors(vec![meta.author.clone()]);
        }
        if let Some((y, m, d)) = meta.date {
            metadata = metadata.creation_date(krilla::metadata::DateTime::new(y).month(m).day(d));
        }
        doc.set_metadata(metadata);
        Draft { doc, pages: 0 }
    }

    /// Pages drawn so far.
    pub fn pages(&self) -> u32 {
        self.pages
    }

    /// The next page.
    pub fn sheet(&mut self, sheet: &Sheet, faces: &Faces, shared: &Shared) -> Result<(), DrawError> {
        let doc = &mut self.doc;
        self.pages += 1;
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
                    for run in runs(faces, shared, *role, text) {
                        let part = &text[run.start..run.end];
                        let glyphs = glyphs(&run, part, *size, *tracking);
                        let width: f32 = glyphs.iter().map(|g| g.x_advance * size).sum();
                        surface.draw_glyphs(Point::from_xy(pen, *y), &glyphs, run.font, part, *size, false);
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
        Ok(())
    }

    /// The PDF's bytes.
    pub fn finish(self) -> Result<Vec<u8>, DrawError> {
        self.doc.finish().map_err(|e| DrawError(format!("{e:?}")))
    }
}

fn rgb(c: Rgb) -> krilla::color::rgb::Color {
    krilla::color::rgb::Color::new(c.0, c.1, c.2)
}

fn fill(c: Rgb) -> Fill {
    Fill { paint: rgb(c).into(), opacity: NormalizedF32::ONE, ..Fill::default() }
}

/// A stretch of a line drawn in one font: its byte range in the line, each character's glyph.
struct Run {
    font: krilla::text::Font,
    start: usize,
    end: usize,
    glyphs: Vec<u32>,
}

/// `text` cut where the font that draws it changes: the run's shared subset where it holds the
/// character, else the role's face, or the next face that has it (a rare name's hanzi).
fn runs(faces: &Faces, shared: &Shared, role: crate::layout::style::FontRole, text: &str) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    for (i, c) in text.char_indices() {
        let (font, id) = match shared.glyph(role, c) {
            Some(g) => (&g.font, u32::from(g.id)),
            None => {
                let face = faces.for_char(role, c).unwrap_or(faces.face(role));
                (&face.font, face.glyph(c).map_or(0, u32::from))
            }
        };
        let end = i + c.len_utf8();
        match out.last_mut() {
            Some(run) if run.font == *font => {
                run.end = end;
                run.glyphs.push(id);
            }
            _ => out.push(Run { font: font.clone(), start: i, end, glyphs: vec![id] }),
        }
    }
    out
}

/// One glyph per character (公文 text needs no shaping beyond that), each advancing by the
/// page model's width plus the tracking, normalised to the em as krilla wants.
fn glyphs(run: &Run, part: &str, size: f32, tracking: f32) -> Vec<KrillaGlyph> {
    part.char_indices()
        .zip(&run.glyphs)
        .map(|((i, c), id)| {
            // The page model's advances, not the face's: a hanzi an em, ASCII half, so every
            // character stands on the grid whatever the face's own metrics.
            let advance = if c.is_ascii() { 0.5 } else { 1.0 };
            let x_advance = advance + tracking / size;
            KrillaGlyph::new(GlyphId::new(*id), x_advance, 0.0, 0.0, 0.0, i..i + c.len_utf8(), None)
        })
        .collect()
}
