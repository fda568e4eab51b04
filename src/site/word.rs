//! A user's own Word templates in a run (`build --template`, zeren.yaml's `word_templates`):
//! each filled once per document of its `Per`, staged with the rest under
//! `OUT/<template name>/序号-单位.docx`, recorded in the manifest, switched in with the run.

use super::Output;
use crate::diag::{Place, Problem, Problems};
use crate::model::Kind;
use crate::plan::{Job, Selection};
use crate::wordtpl::WordTemplate;
use crate::write::{self, ManifestRow, Staging};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// One Word template and the documents it makes in this run.
pub struct WordRun<'a> {
    pub template: &'a WordTemplate,
    pub jobs: Vec<Job<'a>>,
}

impl<'a> WordRun<'a> {
    /// The template's documents for a selection (`--unit`, `--type` as for any kind).
    pub fn plan(site: &'a super::Site, template: &'a WordTemplate, selection: &Selection) -> WordRun<'a> {
        WordRun { template, jobs: crate::plan::jobs_per(&site.workspace, template.per, selection) }
    }

    /// A build's Word documents: the templates asked for (each must make something) and those
    /// zeren.yaml lists (one with nobody in this selection — a case template, no case — makes
    /// nothing).
    pub fn plan_all(
        site: &'a super::Site,
        asked: &'a [WordTemplate],
        listed: &'a [WordTemplate],
        selection: &Selection,
    ) -> Result<Vec<WordRun<'a>>, Problem> {
        let mut runs = Vec::new();
        for t in asked {
            let run = WordRun::plan(site, t, selection);
            if run.jobs.is_empty() {
                let message =
                    format!("{} 按{}逐份填写，但所选范围内没有{}（检查名单、--unit、--type 与 --per）", t.path.display(), t.per, t.per);
                return Err(Problem::error(Place::File(t.path.clone()), "word.nobody", message));
            }
            runs.push(run);
        }
        runs.extend(listed.iter().map(|t| WordRun::plan(site, t, selection)).filter(|w| !w.jobs.is_empty()));
        Ok(runs)
    }

    /// Its folder in OUT: the template's name, unless a kind already uses it (`责任书.docx` as a
    /// template writes `OUT/责任书（Word模板）/`).
    pub fn folder(&self) -> String {
        folder_of(self.template)
    }

    fn target(&self, job: &Job) -> PathBuf {
        Path::new(&self.folder()).join(write::file_name(job.seq, job.of, &job.file_stem))
    }
}

/// A Word template zeren.yaml lists, as the web page offers it: by its name, for whom it is
/// filled, or — when it cannot be filled — what is wrong with it (the administrator's to mend).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordOffer {
    /// The file's name without `.docx`: the box's value and the folder in the zip.
    pub name: String,
    /// 单位, 班子成员…: one document each.
    pub per: String,
    /// Its faults, each with its place in the template; empty when it can be filled.
    pub problems: Vec<String>,
}

/// The Word templates the workspace at `root` lists (its units to come with an upload), each
/// opened and checked as a build would. Nothing when zeren.yaml cannot be read.
pub fn word_offer(root: &Path) -> Vec<WordOffer> {
    let options =
        crate::load::LoadOptions { units: crate::load::UnitsFrom::Deferred, sheet: None, scope: crate::load::Scope::Kinds(Vec::new()) };
    let Ok((ws, _)) = crate::load::load_with_options(root, &options) else { return Vec::new() };
    let mut offers: Vec<WordOffer> = Vec::new();
    for setting in &ws.settings.word_templates {
        let name = crate::wordtpl::name_of(setting);
        if offers.iter().any(|o| o.name == name) {
            continue;
        }
        let (templates, problems) = crate::wordtpl::listed_where(&ws, |n| n == name);
        let per = templates.first().map(|t| t.per.chinese().to_string()).unwrap_or_default();
        let problems = problems.iter().map(|p| shown_problem(p, root)).collect();
        offers.push(WordOffer { name, per, problems });
    }
    offers
}

/// The listed templates of these names, opened and checked for a web run: a name zeren.yaml
/// does not list, or a template that cannot be filled, is a problem naming it.
pub fn chosen(ws: &crate::model::Workspace, names: &[String]) -> Result<Vec<WordTemplate>, Problems> {
    let known: Vec<String> = ws.settings.word_templates.iter().map(crate::wordtpl::name_of).collect();
    let mut problems = Problems::new();
    for n in names.iter().filter(|n| !known.contains(n)) {
        let offered =
            if known.is_empty() { "本工作区没有 Word 模板".to_string() } else { format!("可选：{}", known.join("、")) };
        problems.push(Problem::error(Place::Nowhere, "serve.word-template", format!("没有叫“{n}”的 Word 模板；{offered}")));
    }
    let (templates, found) = crate::wordtpl::listed_where(ws, |n| names.iter().any(|c| c == n));
    let whose = "这是工作区中 Word 模板的问题，不是上传的名单的问题；请联系管理员改正";
    for p in found.0 {
        let detail = p.detail.clone().map_or(whose.to_string(), |d| format!("{d}\n{whose}"));
        problems.push(p.with_detail(detail));
    }
    if problems.has_errors() { Err(problems) } else { Ok(templates) }
}

/// A problem as the page lists it: its place relative to the workspace, its message, its detail.
fn shown_problem(p: &Problem, root: &Path) -> String {
    let mut p = p.clone();
    if let Place::File(f) = &mut p.place
        && let Ok(rel) = f.strip_prefix(root)
    {
        *f = rel.to_path_buf();
    }
    p.to_string()
}

pub fn folder_of(template: &WordTemplate) -> String {
    let name = write::safe_name(&template.folder);
    let taken = Kind::ALL.iter().any(|k| k.chinese() == name) || name == "文书";
    if taken { format!("{name}（Word模板）") } else { name }
}

/// The files the templates write, relative to OUT.
pub(super) fn targets(word: &[WordRun]) -> Vec<PathBuf> {
    word.iter().flat_map(|w| w.jobs.iter().map(|j| w.target(j))).collect()
}

/// Fills every document of `word` in parallel and stages it; a row each for the manifest.
pub(super) fn produce(word: &[WordRun], staging: &Staging, output: &Output) -> Result<Vec<ManifestRow>, Problems> {
    let mut rows = Vec::new();
    for w in word {
        let results: Vec<Result<ManifestRow, Problem>> =
            w.jobs
                .par_iter()
                .map(|job| {
                    let place = Place::File(w.template.path.clone());
                    let view = serde_json::to_value(&job.view).map_err(|e| Problem::error(place.clone(), "word.fill", e.to_string()))?;
                    let bytes = w.template.fill(&view).map_err(|e| {
                        Problem::error(place.clone(), "word.fill", format!("为“{}”填写 Word 模板时出错：{e}", job.recipient))
                    })?;
                    output.progress.inc(1);
                    let rel = w.target(job);
                    let digest = staging.put(&rel, &bytes).map_err(|e| super::write_problem(&e))?;
                    Ok(ManifestRow {
                        kind: w.folder(),
                        recipient: job.recipient.clone(),
                        doc_no: job.doc_no.as_ref().map(ToString::to_string).unwrap_or_default(),
                        file: rel.to_string_lossy().replace('\\', "/"),
                        sha256: digest.to_string(),
                        pages: None,
                    })
                })
                .collect();
        output.stop.check()?;
        let (ok, failed): (Vec<_>, Vec<_>) = results.into_iter().partition(Result::is_ok);
        if !failed.is_empty() {
            return Err(Problems(failed.into_iter().filter_map(Result::err).collect()).deduplicated());
        }
        rows.extend(ok.into_iter().filter_map(Result::ok));
    }
    Ok(rows)
}

/// The jobs whose new 文号 a run records: the kinds', then the templates' not already among them
/// (a case's 决定书 and a Word template per case share one number).
pub(super) fn numbered<'a>(jobs: &[Job<'a>], word: &[WordRun<'a>]) -> Vec<Job<'a>> {
    let mut all: Vec<Job<'a>> = jobs.to_vec();
    for j in word.iter().flat_map(|w| &w.jobs) {
        if let Some((key, _)) = &j.assigned
            && !all.iter().any(|a| a.assigned.as_ref().is_some_and(|(k, _)| k == key))
        {
            all.push(j.clone());
        }
    }
    all
}
