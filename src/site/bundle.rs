//! Where a run's files go in OUT, and the zip that carries them all (`--zip`, and the web
//! service's answer).

use super::{Output, Site, produce};
use crate::model::{Form, Kind, Scheme};
use crate::plan::{Job, Selection};
use crate::write::{self, Staging};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The zip bundle's name in OUT.
pub const BUNDLE: &str = "文书.zip";

/// Which of the previous run's files in OUT a run answers for, by what it was asked to build:
/// a run of part of the workspace replaces its own files and leaves the rest of the last run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Sweep {
    /// A whole run: whatever the last run wrote and this one does not goes.
    #[default]
    Everything,
    /// `--kind` alone: the previous files of these kinds (folder, print file, their PDFs).
    Kinds(Vec<Kind>),
    /// `--unit`, `--type`, `--tier`: only the files it writes again.
    Written,
    /// `--template` (with or without `--kind`): these kinds' files and these folders of the
    /// user's own Word templates.
    Named(Vec<Kind>, Vec<String>),
}

impl Sweep {
    pub fn of(selection: &Selection) -> Sweep {
        if !selection.units.is_empty() || !selection.types.is_empty() || !selection.tiers.is_empty() {
            Sweep::Written
        } else if selection.kinds.is_empty() {
            Sweep::Everything
        } else {
            Sweep::Kinds(selection.kinds.clone())
        }
    }

    /// The names at OUT's top this covers. The zip is always covered: one left from an earlier
    /// run would hold files this run replaced.
    pub(super) fn reach(&self) -> write::Reach {
        let (kinds, folders): (&[Kind], &[String]) = match self {
            Sweep::Everything => return write::Reach::All,
            Sweep::Kinds(kinds) => (kinds, &[]),
            Sweep::Written => (&[], &[]),
            Sweep::Named(kinds, folders) => (kinds, folders),
        };
        let mut tops: std::collections::BTreeSet<String> = [BUNDLE.to_string()].into();
        tops.extend(folders.iter().cloned());
        for kind in kinds {
            let name = kind.chinese();
            tops.extend([name.to_string(), format!("{name}.docx"), format!("{name}.pdf")]);
            if *kind == Kind::AnnualReport {
                tops.insert(write::SUMMARY_XLSX.to_string());
            }
        }
        write::Reach::Tops(tops)
    }
}

/// `责任书/01-办公室.docx`, relative to OUT.
pub fn target(job: &Job) -> PathBuf {
    Path::new(job.kind().chinese()).join(write::file_name(job.seq, job.of, &job.file_stem))
}

/// Kinds of the run in order, each with its print file `OUT/责任书.docx`.
pub(super) fn merged_kinds(jobs: &[Job]) -> Vec<(Kind, PathBuf)> {
    produce::kinds_in_order(jobs).into_iter().map(|k| (k, PathBuf::from(format!("{}.docx", k.chinese())))).collect()
}

/// The scheme whose 考核汇总 a run writes: there is one when the run has 考核评分表.
pub(super) fn summary_scheme<'a>(site: &'a Site, jobs: &[Job]) -> Option<&'a Scheme> {
    jobs.iter().any(|j| j.form == Form::Assessment).then_some(site.workspace.scheme.as_ref()).flatten()
}

/// Every file a run writes, relative to OUT: documents and, with `merge`, the print files, their
/// PDFs, the manifest, the 考核汇总 and the zip.
pub(super) fn targets(site: &Site, jobs: &[Job], output: &Output) -> Vec<PathBuf> {
    let print_files = if output.merge { merged_kinds(jobs) } else { Vec::new() };
    let documents: Vec<PathBuf> = jobs.iter().map(target).chain(print_files.into_iter().map(|(_, p)| p)).collect();
    let pdfs: Vec<PathBuf> = if output.pdf.is_some() { documents.iter().map(|d| d.with_extension("pdf")).collect() } else { Vec::new() };
    documents
        .into_iter()
        .chain(pdfs)
        .chain([PathBuf::from(write::MANIFEST_CSV), PathBuf::from(write::MANIFEST_XLSX)])
        .chain(summary_scheme(site, jobs).map(|_| PathBuf::from(write::SUMMARY_XLSX)))
        .chain(output.zip.then(|| PathBuf::from(BUNDLE)))
        .collect()
}

/// `--zip`: the run's files in one archive with the same tree.
pub(super) fn bundle(staging: &Staging, targets: &[PathBuf]) -> Result<(), write::WriteError> {
    let files: Vec<PathBuf> = targets.iter().filter(|t| t.as_path() != Path::new(BUNDLE)).cloned().collect();
    let base = staging.path(Path::new(""));
    staging.put_with(Path::new(BUNDLE), |file| zip_files(&base, &files, std::io::BufWriter::new(file))?.flush()).map(|_| ())
}

/// `files` (relative to `base`) in one zip with the same tree, `/`-separated. The .docx inside
/// are stored, not deflated again: they are zips already.
pub fn zip_files<W: Write + std::io::Seek>(base: &Path, files: &[PathBuf], out: W) -> std::io::Result<W> {
    let mut zip = zip::ZipWriter::new(out);
    for rel in files {
        let stored = rel.extension().is_some_and(|e| e == "docx" || e == "xlsx" || e == "pdf");
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(if stored { zip::CompressionMethod::Stored } else { zip::CompressionMethod::Deflated })
            .last_modified_time(zip::DateTime::default())
            .unix_permissions(0o644);
        zip.start_file(rel.to_string_lossy().replace('\\', "/"), options).map_err(std::io::Error::other)?;
        std::io::copy(&mut std::fs::File::open(base.join(rel))?, &mut zip)?;
    }
    zip.finish().map_err(std::io::Error::other)
}
