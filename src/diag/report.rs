//! Problems rendered for people (miette-style, with the source line), for machines (JSON), and
//! for CI dashboards (JUnit XML: one test case per template × document).

use super::{Place, Problem, Severity};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, MietteError, MietteSpanContents, SourceCode, SourceSpan,
    SpanContents,
};
use serde::Serialize;
use std::fmt::Write;

/// Source text of the file a problem points into (a data file, a workspace or built-in template).
pub type SourceLookup<'a> = &'a dyn Fn(&Place) -> Option<String>;

/// miette's graphical report for each problem: the message, the file and the line with a marker.
pub fn text(problems: &[Problem], sources: SourceLookup, color: bool) -> String {
    let theme = if color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100).with_links(false);
    let mut out = String::new();
    for p in problems {
        let mut diag = MietteDiagnostic::new(p.message.clone()).with_code(p.code).with_severity(match p.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        });
        let mut source = None;
        if let (Some(line), Some(column), Some(name)) = (p.place.line(), p.place.column(), p.place.file_label()) {
            if let Some(text) = sources(&p.place) {
                if let Some((offset, len)) = span_of(&text, line, column) {
                    diag = diag.with_label(LabeledSpan::at(offset..offset + len, "此处"));
                    // miette adds the line and column to the name itself.
                    source = Some(CharColumns { name, text });
                }
            }
        }
        if source.is_none() && p.place != Place::Nowhere {
            diag = diag.with_help(format!("位置：{}", p.place));
        }
        if let Some(detail) = &p.detail {
            if source.is_none() {
                let help = diag.help.take().map(|h| format!("{h}\n")).unwrap_or_default();
                diag = diag.with_help(format!("{help}{detail}"));
            }
        }
        let report = match source {
            Some(src) => miette::Report::new(diag).with_source_code(src),
            None => miette::Report::new(diag),
        };
        let _ = handler.render_report(&mut out, report.as_ref());
        out.push('\n');
    }
    out
}

/// Problems as plain lines, the way the terminal and the web service's plain replies show them:
/// warnings first, errors last so they stay in view, then the count.
pub fn plain(problems: &super::Problems) -> String {
    let (errors, warnings): (Vec<_>, Vec<_>) = problems.iter().partition(|p| p.is_error());
    let mut out = String::new();
    for p in warnings.iter().chain(errors.iter()) {
        let _ = writeln!(out, "{p}");
    }
    if !errors.is_empty() {
        let _ = writeln!(out, "共 {} 处错误，未生成任何文件。", errors.len());
    }
    out
}

/// A source file whose positions miette reports in characters, as every other place of ours is
/// (miette counts bytes: a column after three hanzi would read 10, not 4).
#[derive(Debug)]
struct CharColumns {
    name: String,
    text: String,
}

impl SourceCode for CharColumns {
    fn read_span<'a>(&'a self, span: &SourceSpan, before: usize, after: usize) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.read_span(span, before, after)?;
        let start = inner.span().offset().min(self.text.len());
        let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
        let column = self.text.get(line_start..start).map_or(0, |s| s.chars().count());
        let (data, span, line, lines) = (inner.data(), *inner.span(), inner.line(), inner.line_count());
        Ok(Box::new(MietteSpanContents::new_named(self.name.clone(), data, span, line, column, lines)))
    }
}

/// Byte offset and length (one token, at least one character) of a 1-based line:column.
fn span_of(text: &str, line: u32, column: u32) -> Option<(usize, usize)> {
    let start = if line <= 1 { 0 } else { text.match_indices('\n').nth(line as usize - 2)?.0 + 1 };
    let line_text = text[start..].split('\n').next().unwrap_or("");
    let offset = line_text.char_indices().nth(column.saturating_sub(1) as usize).map_or(line_text.len(), |(i, _)| i);
    let rest = &line_text[offset..];
    let len = rest
        .char_indices()
        .find(|(i, c)| c.is_whitespace() || matches!(c, ',' | ']' | '}' | ':' | '：') || (*i > 0 && *c == '>'))
        .map_or(rest.len(), |(i, _)| i);
    let len = if len == 0 { rest.chars().next().map_or(0, char::len_utf8) } else { len };
    Some((start + offset, len))
}

#[derive(Serialize)]
struct JsonProblem<'a> {
    file: Option<String>,
    line: Option<u32>,
    column: Option<u32>,
    sheet: Option<&'a str>,
    cell: Option<&'a str>,
    severity: &'static str,
    code: &'static str,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    errors: usize,
    warnings: usize,
    documents: usize,
    problems: Vec<JsonProblem<'a>>,
}

/// A stable machine format: `{errors, warnings, documents, problems: [{file, line, column,
/// sheet, cell, severity, code, message}]}`.
pub fn json(problems: &[Problem], documents: usize) -> String {
    let items = problems
        .iter()
        .map(|p| {
            let (sheet, cell) = match &p.place {
                Place::Cell { sheet, cell, .. } => (Some(sheet.as_str()), Some(cell.as_str())),
                _ => (None, None),
            };
            JsonProblem {
                file: p.place.file_label(),
                line: p.place.line(),
                column: p.place.column(),
                sheet,
                cell,
                severity: match p.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                },
                code: p.code,
                message: &p.message,
            }
        })
        .collect();
    let report = JsonReport {
        errors: problems.iter().filter(|p| p.is_error()).count(),
        warnings: problems.iter().filter(|p| !p.is_error()).count(),
        documents,
        problems: items,
    };
    serde_json::to_string_pretty(&report).unwrap_or_else(|_| "{}".into())
}

/// One JUnit test case: a template × document (or the data load), with its problems.
#[derive(Debug, Clone)]
pub struct Case {
    pub suite: String,
    pub name: String,
    pub problems: Vec<Problem>,
}

pub fn junit(cases: &[Case]) -> String {
    let esc = |s: &str| quick_xml::escape::escape(s).into_owned();
    let mut suites: Vec<(&str, Vec<&Case>)> = Vec::new();
    for c in cases {
        match suites.iter_mut().find(|(s, _)| *s == c.suite) {
            Some((_, v)) => v.push(c),
            None => suites.push((&c.suite, vec![c])),
        }
    }
    let failing = |c: &&&Case| c.problems.iter().any(Problem::is_error);
    let total_failures = cases.iter().filter(|c| c.problems.iter().any(Problem::is_error)).count();
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(x, "<testsuites name=\"zeren check\" tests=\"{}\" failures=\"{total_failures}\">", cases.len());
    for (suite, cases) in &suites {
        let failures = cases.iter().filter(failing).count();
        let _ = writeln!(x, "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\">", esc(suite), cases.len());
        for c in cases {
            let _ = write!(x, "    <testcase classname=\"{}\" name=\"{}\"", esc(suite), esc(&c.name));
            let errors: Vec<&Problem> = c.problems.iter().filter(|p| p.is_error()).collect();
            if errors.is_empty() {
                x.push_str("/>\n");
                continue;
            }
            x.push_str(">\n");
            let first = &errors[0];
            let body: String = errors.iter().map(|p| format!("{p}\n")).collect();
            let _ = writeln!(
                x,
                "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                esc(&first.to_string().lines().next().unwrap_or_default()),
                first.code,
                esc(&body)
            );
            x.push_str("    </testcase>\n");
        }
        x.push_str("  </testsuite>\n");
    }
    x.push_str("</testsuites>\n");
    x
}

#[cfg(test)]
mod tests {
    #[test]
    fn spans_count_characters_not_bytes() {
        let text = "第一行\n  - name: 预算处\n";
        let (offset, len) = super::span_of(text, 2, 11).unwrap();
        assert_eq!(&text[offset..offset + len], "预算处");
    }
}
