//! Document kinds, named in English (for scripts) and Chinese (for people).

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// 党风廉政建设责任书.
    ResponsibilityLetter,
}

impl Kind {
    pub const ALL: [Kind; 1] = [Kind::ResponsibilityLetter];

    pub fn english(self) -> &'static str {
        match self {
            Kind::ResponsibilityLetter => "responsibility-letter",
        }
    }

    /// Also the output folder name (`OUT/责任书/`).
    pub fn chinese(self) -> &'static str {
        match self {
            Kind::ResponsibilityLetter => "责任书",
        }
    }

    /// The built-in template that renders this kind.
    pub fn template(self) -> &'static str {
        match self {
            Kind::ResponsibilityLetter => "responsibility-letter.xml",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        let s = s.trim();
        Kind::ALL.into_iter().find(|k| k.english() == s || k.chinese() == s)
    }

    /// "responsibility-letter（责任书）, …" for messages.
    pub fn known_list() -> String {
        Kind::ALL
            .iter()
            .map(|k| format!("{}（{}）", k.english(), k.chinese()))
            .collect::<Vec<_>>()
            .join("、")
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.chinese())
    }
}
