//! The checker every loader reports through: a file's problems collected at their places, and
//! the tidying hand-typed text needs. Shared by the YAML readers and the sheet readers.

use super::limits::name_problem;
use super::yaml::spanned_place;
use crate::diag::{Place, Problem, Problems};
use serde_saphyr::Spanned;
use std::path::Path;

/// Collects problems while converting one file.
pub struct Checker<'a> {
    pub file: &'a Path,
    pub problems: &'a mut Problems,
}

impl Checker<'_> {
    pub fn at<T>(&self, s: &Spanned<T>) -> Place {
        spanned_place(self.file, s)
    }

    pub fn error(&mut self, place: Place, code: &'static str, message: String) {
        self.problems.push(Problem::error(place, code, message));
    }

    /// A required, non-blank text field; reports `what` at `parent` when missing.
    pub fn text(&mut self, field: &Option<Spanned<String>>, parent: Place, what: &str, code: &'static str) -> String {
        match field {
            Some(s) if !s.value.trim().is_empty() => tidy(&s.value),
            Some(s) => {
                let p = self.at(s);
                self.error(p, code, format!("{what}为空"));
                String::new()
            }
            None => {
                self.error(parent, code, format!("缺少{what}"));
                String::new()
            }
        }
    }

    /// A required name (of a unit, of a person): as `text`, and visible text of a sane length
    /// (`limits::name_problem`), reported at the name itself.
    pub fn name(&mut self, field: &Option<Spanned<String>>, parent: Place, what: &str, code: &'static str) -> String {
        let text = self.text(field, parent, what, code);
        if let (Some(s), Some(why)) = (field, name_problem(&text).filter(|_| !text.is_empty())) {
            let p = self.at(s);
            self.error(p, "name.invalid", format!("{what}{why}"));
            return String::new();
        }
        text
    }

    /// A field parsed at its place: a value that does not parse is reported there as
    /// "{what}“value”有误：why" and yields nothing.
    pub fn parsed<T, E: std::fmt::Display>(
        &mut self,
        field: &Spanned<String>,
        parse: impl FnOnce(&str) -> Result<T, E>,
        code: &'static str,
        what: &str,
    ) -> Option<T> {
        match parse(&field.value) {
            Ok(v) => Some(v),
            Err(e) => {
                let p = self.at(field);
                self.error(p, code, format!("{what}“{}”有误：{e}", field.value));
                None
            }
        }
    }
}

/// Trims surrounding white space (incl. full-width) that hand-typed data often carries.
pub fn tidy(s: &str) -> String {
    s.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}').to_string()
}
