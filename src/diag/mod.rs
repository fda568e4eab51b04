//! One problem type for every stage. A problem carries the place it came from so the CLI can
//! print `file:line:col: 消息` (or `file [sheet] cell: 消息`) without knowing which stage found it.

pub mod report;

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};

/// Text from the user's files made safe to show — on a terminal, in JSON, JUnit or HTML:
/// control characters (ESC starts a terminal escape sequence) and the invisible characters that
/// hide or reorder text are written out as `\u{1B}` (as serve's pages show them), so the user
/// can find them in the file. Line breaks and tabs stay.
pub fn shown(text: &str) -> Cow<'_, str> {
    let hidden = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{2028}' | '\u{2029}' | '\u{FEFF}' | '\u{061C}')
    };
    if !text.contains(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if hidden(c) {
            out.push_str(&format!("\\u{{{:X}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Where in the user's input something is. Neutral: no parser's span type leaks out of `load/`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Place {
    /// No particular place (a problem with the run as a whole).
    #[default]
    Nowhere,
    /// A whole file (it could not be read, it is not a spreadsheet…).
    File(PathBuf),
    /// A text file with 1-based line and column.
    Text { file: PathBuf, line: u32, column: u32 },
    /// A workbook cell such as `D7`.
    Cell { file: PathBuf, sheet: String, cell: String },
    /// A template built into the binary, with 1-based line and column (both 0: the whole
    /// template). Named as the workspace file that would override it.
    Builtin { template: &'static str, line: u32, column: u32 },
}

impl Place {
    pub fn text(file: impl Into<PathBuf>, line: u32, column: u32) -> Place {
        Place::Text { file: file.into(), line, column }
    }

    /// The file on disk, if the place is in one.
    pub fn file(&self) -> Option<&Path> {
        match self {
            Place::Nowhere | Place::Builtin { .. } => None,
            Place::File(f) | Place::Text { file: f, .. } | Place::Cell { file: f, .. } => Some(f),
        }
    }

    /// The file as a person should read it: a path, or "内置模板 NAME".
    pub fn file_label(&self) -> Option<String> {
        match self {
            Place::Builtin { template, .. } => Some(format!("内置模板 {template}")),
            other => other.file().map(|f| f.display().to_string()),
        }
    }

    pub fn line(&self) -> Option<u32> {
        match self {
            Place::Text { line, .. } => Some(*line),
            Place::Builtin { line, .. } if *line > 0 => Some(*line),
            _ => None,
        }
    }

    pub fn column(&self) -> Option<u32> {
        match self {
            Place::Text { column, .. } => Some(*column),
            Place::Builtin { line, column, .. } if *line > 0 => Some(*column),
            _ => None,
        }
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Nowhere => Ok(()),
            Place::File(p) => write!(f, "{}", shown(&p.display().to_string())),
            Place::Text { file, line, column } => write!(f, "{}:{line}:{column}", shown(&file.display().to_string())),
            Place::Cell { file, sheet, cell } => write!(f, "{} [{}] {cell}", shown(&file.display().to_string()), shown(sheet)),
            Place::Builtin { template, line: 0, .. } => write!(f, "内置模板 {template}"),
            Place::Builtin { template, line, column } => write!(f, "内置模板 {template}:{line}:{column}"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// A problem found in the input: place, stable code, Chinese message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub place: Place,
    pub severity: Severity,
    /// Stable machine code such as `yaml.syntax`, `unit.leader-missing`, `template.syntax`.
    pub code: &'static str,
    pub message: String,
    /// Optional extra lines (a template snippet, the allowed values…).
    pub detail: Option<String>,
}

impl Problem {
    /// Messages quote the user's data: it is made safe to show here, once for every output.
    pub fn error(place: Place, code: &'static str, message: impl Into<String>) -> Problem {
        Problem { place, severity: Severity::Error, code, message: safe(message.into()), detail: None }
    }

    pub fn warning(place: Place, code: &'static str, message: impl Into<String>) -> Problem {
        Problem { place, severity: Severity::Warning, code, message: safe(message.into()), detail: None }
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Problem {
        self.detail = Some(safe(detail.into()));
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

fn safe(text: String) -> String {
    match shown(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(clean) => clean,
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "",
            Severity::Warning => "提示：",
        };
        match &self.place {
            Place::Nowhere => write!(f, "{label}{}", self.message)?,
            place => write!(f, "{place}: {label}{}", self.message)?,
        }
        if let Some(detail) = &self.detail {
            for line in detail.lines() {
                write!(f, "\n    {line}")?;
            }
        }
        Ok(())
    }
}

/// Problems gathered over a whole stage: every problem is reported, not only the first.
#[derive(Debug, Default, Clone)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    pub fn new() -> Problems {
        Problems(Vec::new())
    }

    pub fn push(&mut self, p: Problem) {
        self.0.push(p);
    }

    pub fn extend(&mut self, other: Problems) {
        self.0.extend(other.0);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Problem::is_error)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Problem> {
        self.0.iter()
    }

    /// Each problem once: the same template fault repeats for every unit it renders.
    pub fn deduplicated(self) -> Problems {
        let mut seen = std::collections::HashSet::new();
        Problems(self.0.into_iter().filter(|p| seen.insert((p.place.clone(), p.message.clone()))).collect())
    }

    /// `Ok(value)` when nothing is an error, else every problem.
    pub fn into_result<T>(self, value: T) -> Result<(T, Problems), Problems> {
        if self.has_errors() { Err(self) } else { Ok((value, self)) }
    }
}

impl From<Problem> for Problems {
    fn from(p: Problem) -> Problems {
        Problems(vec![p])
    }
}
