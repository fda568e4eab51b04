//! Producing documents into the staging folder: render → markup → rules → layout, in parallel,
//! each written as it is done, so memory holds the documents in flight, not the run. With
//! `merge`, also one print file per kind, streamed in roster order a chunk at a time.

use super::{Output, Site, bundle};
use crate::diag::{Place, Problem, Problems};
use crate::markup::Document;
use crate::model::Kind;
use crate::pdf;
use crate::plan::Job;
use crate::write::{self, ManifestRow, Staging};
use rayon::prelude::*;
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

/// What was staged.
pub(super) struct Produced {
    pub rows: Vec<ManifestRow>,
    pub pdf_pages: Option<u32>,
}

/// The documents of `jobs` staged — one .docx each, and with `merge` one print file per kind
/// besides (a secretariat prints the one and sends the others) — the documents of the user's own
/// Word templates, the 考核汇总 beside the 考核评分表, the PDFs when asked (of zeren's own
/// documents: a user's Word template is laid out by Word, not by zeren), and the manifest (a row
/// per document, naming its own file).
pub(super) fn produce(
    site: &Site,
    jobs: &[Job],
    word: &[super::WordRun],
    staging: &Staging,
    output: &Output,
) -> Result<Produced, Problems> {
    let shared = match output.pdf {
        Some(writer) => shared_subsets(site, writer, jobs),
        None => Shared::new(),
    };
    let mut rows = separate(site, jobs, staging, output, &shared)?;
    output.stop.check()?;
    let print_pages = if output.merge { merged(site, jobs, staging, output, &shared)? } else { Vec::new() };
    output.stop.check()?;
    let mut pdf_pages = None;
    if output.pdf.is_some() {
        // The paper a print room needs: the print files' pages (blank pages included) when there
        // are print files, otherwise the documents'.
        pdf_pages = if output.merge { Some(print_pages.iter().sum::<u32>()) } else { rows.iter().map(|r| r.pages).sum::<Option<u32>>() };
    }
    // The user's own Word templates: a file per document, merged or not (their styles are theirs).
    rows.extend(super::word::produce(word, staging, output)?);
    let failed = |what: &str, e: String| Problems::from(Problem::error(Place::Nowhere, "write.manifest", format!("无法生成{what}：{e}")));
    let d = site.workspace.settings.date;
    let stamp = (d.year as u16, d.month as u8, d.day as u8);
    let manifest = write::manifest_xlsx(&rows, stamp).map_err(|e| failed("清单", e.to_string()))?;
    // The 考核汇总 goes with the 考核评分表 of a run.
    if let Some(scheme) = bundle::summary_scheme(site, jobs) {
        let all = crate::plan::assessments(&site.workspace);
        write::summary_xlsx(scheme, &all, stamp)
            .map_err(|e| e.to_string())
            .and_then(|bytes| staging.put(Path::new(write::SUMMARY_XLSX), &bytes).map_err(|e| e.to_string()))
            .map_err(|e| failed(write::SUMMARY_XLSX, e))?;
    }
    staging
        .put(Path::new(write::MANIFEST_CSV), &write::manifest_csv(&rows))
        .and_then(|_| staging.put(Path::new(write::MANIFEST_XLSX), &manifest))
        .map_err(|e| Problems::from(super::write_problem(&e)))?;
    Ok(Produced { rows, pdf_pages })
}

/// Files that could not be written: the first named, the rest counted — a full disk fails every
/// parallel writer alike, and one line says so better than hundreds.
#[derive(Default)]
struct Unwritten {
    first: Option<Problem>,
    more: usize,
}

impl Unwritten {
    fn add(&mut self, e: &write::WriteError) {
        match self.first {
            None => self.first = Some(super::write_problem(e)),
            Some(_) => self.more += 1,
        }
    }

    fn into_problem(self) -> Option<Problem> {
        let mut first = self.first?;
        if self.more > 0 {
            first.message.push_str(&format!("（另有 {} 个文件同样未能写入）", self.more));
        }
        Some(first)
    }
}

/// What `--pdf` says when the run fills the user's own Word templates: their documents get no
/// PDF, and why. `None` when there are none.
pub fn pdf_skips_word(word: &[super::WordRun]) -> Option<String> {
    let names: Vec<String> = word
        .iter()
        .filter(|w| !w.jobs.is_empty())
        .map(|w| w.template.path.file_name().map_or_else(|| w.folder(), |n| n.to_string_lossy().into_owned()))
        .collect();
    (!names.is_empty()).then(|| {
        format!(
            "提示：用 Word 模板（{}）生成的 {} 份文书不生成 PDF：它们按您的模板由 Word 排版，zeren 的分页模型不知道其中每行每页落在哪里，画出的 PDF 会与 Word 打印的不同；需要 PDF 时请在 Word 或 WPS 中打开这些文件“另存为 PDF”。其余文书照常生成 PDF。",
            names.join("、"),
            word.iter().map(|w| w.jobs.len()).sum::<usize>()
        )
    })
}

/// Each kind's font subsets shared by its PDFs (`pdf::shared`), from the kind's first documents.
type Shared = HashMap<Kind, pdf::Shared>;

fn shared_subsets(site: &Site, writer: &pdf::PdfWriter, jobs: &[Job]) -> Shared {
    kinds_in_order(jobs)
        .into_iter()
        .map(|kind| {
            let sample: Vec<&Job> = jobs.iter().filter(|j| j.kind() == kind).take(pdf::shared::SAMPLE).collect();
            // A document that fails here fails again, and is said, when it is made.
            let docs: Vec<Document> = sample.par_iter().filter_map(|job| site.document(job).ok()).collect();
            (kind, writer.share(&docs))
        })
        .collect()
}

/// One .docx per document, laid out in parallel and written as each is done.
fn separate(site: &Site, jobs: &[Job], staging: &Staging, output: &Output, shared: &Shared) -> Result<Vec<ManifestRow>, Problems> {
    let problems = Mutex::new(Problems::new());
    let unwritten = Mutex::new(Unwritten::default());
    let none = pdf::Shared::none();
    let results: Vec<Option<ManifestRow>> = jobs
        .par_iter()
        .map(|job| {
            if output.stop.requested() {
                return None;
            }
            let laid = site.document(job).and_then(|doc| {
                let docx = site.docx(std::slice::from_ref(&doc)).map_err(|p| vec![p])?;
                let subsets = shared.get(&job.kind()).unwrap_or(&none);
                let pdf = output.pdf.map(|w| w.document(&doc, &pdf_meta(site, doc.title()), subsets)).transpose();
                Ok((docx, pdf.map_err(|e| vec![Problem::error(Place::Nowhere, "build.pdf", e.to_string())])?))
            });
            output.progress.inc(1);
            let (bytes, pdf) = laid.map_err(|found| problems.lock().unwrap_or_else(|e| e.into_inner()).0.extend(found)).ok()?;
            let rel = bundle::target(job);
            let staged = staging.put(&rel, &bytes).and_then(|digest| {
                let mut row = row(job, &rel, digest.to_string());
                if let Some(pdf) = pdf {
                    staging.put(&rel.with_extension("pdf"), &pdf.bytes)?;
                    row.pages = Some(pdf.pages);
                }
                Ok(row)
            });
            match staged {
                Ok(row) => Some(row),
                Err(e) => {
                    unwritten.lock().unwrap_or_else(|e| e.into_inner()).add(&e);
                    None
                }
            }
        })
        .collect();
    output.stop.check()?;
    let mut problems = problems.into_inner().unwrap_or_else(|e| e.into_inner());
    problems.0.extend(unwritten.into_inner().unwrap_or_else(|e| e.into_inner()).into_problem());
    if problems.has_errors() {
        return Err(problems.deduplicated());
    }
    Ok(results.into_iter().flatten().collect())
}

/// How many documents are laid out at once for a print file: enough for both cores, few enough
/// that memory stays flat however long the roster.
const CHUNK: usize = 64;

/// `--merge`: one print file per kind, each document its own section, streamed into the file in
/// roster order while the next chunk is laid out; with `--pdf` its PDF beside it. Answers the
/// pages of each print file's PDF (none without `--pdf`).
fn merged(site: &Site, jobs: &[Job], staging: &Staging, output: &Output, shared: &Shared) -> Result<Vec<u32>, Problems> {
    let mut pages = Vec::new();
    for (kind, rel) in bundle::merged_kinds(jobs) {
        let of_kind: Vec<&Job> = jobs.iter().filter(|j| j.kind() == kind).collect();
        let problems = Mutex::new(Problems::new());
        let written = staging.put_with(&rel, |file| {
            let out = std::io::BufWriter::new(file);
            let meta = site.meta(format!("{}合订本（{}份）", kind.chinese(), of_kind.len()));
            let result = site.layout.print_file(out, &meta, |emit| print_sections(site, &of_kind, &problems, output, emit));
            let mut out = result.map_err(|e| std::io::Error::other(e.to_string()))?;
            out.flush()
        });
        output.stop.check()?;
        let problems = problems.into_inner().unwrap_or_else(|e| e.into_inner());
        if problems.has_errors() {
            return Err(problems.deduplicated());
        }
        written.map_err(|e| Problems::from(super::write_problem(&e)))?;
        if let Some(writer) = output.pdf {
            let title = format!("{}合订本（{}份）", kind.chinese(), of_kind.len());
            let none = pdf::Shared::none();
            let subsets = shared.get(&kind).unwrap_or(&none);
            pages.push(print_pdf(site, writer, &of_kind, &rel, &title, staging, output, subsets)?);
        }
    }
    Ok(pages)
}

/// The document properties of a PDF: its title, the issuing organ, the run's date.
fn pdf_meta(site: &Site, title: String) -> pdf::PdfMeta {
    let s = &site.workspace.settings;
    pdf::PdfMeta { title, author: s.organ.clone(), date: Some((s.date.year as u16, s.date.month as u8, s.date.day as u8)) }
}

/// A print file's PDF: every document's pages in roster order, each document starting on an
/// odd page (a blank, unnumbered page before it where needed). Answers its pages.
#[allow(clippy::too_many_arguments)]
fn print_pdf(
    site: &Site,
    writer: &pdf::PdfWriter,
    jobs: &[&Job],
    rel: &Path,
    title: &str,
    staging: &Staging,
    output: &Output,
    shared: &pdf::Shared,
) -> Result<u32, Problems> {
    // Drawn into the PDF a chunk at a time: memory holds the pages drawn (compressed), not the
    // marks of every page, and the page count is bounded (`pdf::MAX_PRINT_PAGES`).
    let mut draft = pdf::draw::Draft::new(&pdf_meta(site, title.to_string()));
    let failed = |e: pdf::DrawError| Problems::from(Problem::error(Place::Nowhere, "build.pdf", e.to_string()));
    for chunk in jobs.chunks(CHUNK) {
        output.stop.check()?;
        // The documents were checked as the DOCX was written; one that fails now fails alike.
        let laid: Vec<Result<Vec<pdf::sheet::Sheet>, Vec<Problem>>> =
            chunk.par_iter().map(|job| site.document(job).map(|doc| pdf::paint::sheets(&doc, &writer.style))).collect();
        for doc in laid {
            let doc = doc.map_err(|p| Problems(p).deduplicated())?;
            // Each document starts on an odd page: a blank, unnumbered one before it where needed.
            if draft.pages() % 2 == 1 {
                draft.sheet(&pdf::paint::blank(&writer.style.page), &writer.faces, shared).map_err(failed)?;
            }
            if draft.pages() as usize + doc.len() > pdf::MAX_PRINT_PAGES as usize {
                let message = format!(
                    "{} 的 PDF 超过 {} 页（每页约占 {} KB 内存，整本在内存中生成）；请不加 --pdf 生成合订本，或用 --unit、--type 分批生成",
                    rel.with_extension("pdf").display(),
                    pdf::MAX_PRINT_PAGES,
                    pdf::PRINT_BYTES_PER_PAGE / 1024
                );
                return Err(Problem::error(Place::Nowhere, "build.pdf-pages", message).into());
            }
            for sheet in &doc {
                draft.sheet(sheet, &writer.faces, shared).map_err(failed)?;
            }
        }
    }
    let pages = draft.pages();
    let bytes = draft.finish().map_err(failed)?;
    staging.put(&rel.with_extension("pdf"), &bytes).map_err(|e| Problems::from(super::write_problem(&e)))?;
    Ok(pages)
}

/// Lays out one kind's documents a chunk at a time in parallel and hands each section to the
/// print file in order; stops at the first chunk with a problem.
fn print_sections(
    site: &Site,
    jobs: &[&Job],
    problems: &Mutex<Problems>,
    output: &Output,
    emit: &mut dyn FnMut(crate::layout::Section) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let n = jobs.len();
    for (c, chunk) in jobs.chunks(CHUNK).enumerate() {
        if output.stop.requested() {
            return Err(std::io::Error::other("stop"));
        }
        let sections: Vec<Option<crate::layout::Section>> = chunk
            .par_iter()
            .enumerate()
            .map(|(i, job)| {
                let index = c * CHUNK + i;
                let laid = site.document(job).map(|doc: Document| site.layout.section(&doc, index == 0, index + 1 == n));
                output.progress.inc(1);
                laid.map_err(|found| problems.lock().unwrap_or_else(|e| e.into_inner()).0.extend(found)).ok()
            })
            .collect();
        if problems.lock().unwrap_or_else(|e| e.into_inner()).has_errors() {
            return Err(std::io::Error::other("stop"));
        }
        for s in sections.into_iter().flatten() {
            emit(s)?;
        }
    }
    Ok(())
}

fn row(job: &Job, rel: &Path, sha256: String) -> ManifestRow {
    ManifestRow {
        kind: job.kind().chinese().to_string(),
        recipient: job.recipient.clone(),
        doc_no: job.doc_no.as_ref().map(ToString::to_string).unwrap_or_default(),
        file: rel.to_string_lossy().replace('\\', "/"),
        sha256,
        pages: None,
    }
}

/// Kinds in run order (also for `bundle`).
pub(super) fn kinds_in_order(jobs: &[Job]) -> Vec<Kind> {
    let mut kinds: Vec<Kind> = Vec::new();
    for j in jobs {
        if !kinds.contains(&j.kind()) {
            kinds.push(j.kind());
        }
    }
    kinds
}
