//! `templates/words.yaml` → `model::Words`: the built-in vocabulary (built into the binary), with
//! the entries of the workspace's own `templates/words.yaml` over it. An unknown key or a
//! placeholder the word does not take is an error at its place.

use super::check::{Checker, tidy};
use crate::diag::Problems;
use crate::model::{Word, Words};
use serde_saphyr::Spanned;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::OnceLock;

/// Where a workspace's vocabulary is, beside its template overrides.
pub const WORDS_FILE: &str = "templates/words.yaml";

/// The built-in vocabulary.
pub fn builtin() -> &'static Words {
    static BUILTIN: OnceLock<Words> = OnceLock::new();
    BUILTIN.get_or_init(|| {
        // The file is ours and tested to parse (a word it lacked would read as its key).
        let raw: BTreeMap<String, String> = serde_saphyr::from_str(crate::embedded::WORDS).unwrap_or_default();
        Words::new(raw.iter().filter_map(|(k, v)| Word::parse(k).map(|w| (w, v.clone()))).collect())
    })
}

/// The built-in vocabulary with the workspace's `text` (from `file`) over it.
pub(super) fn words(text: &str, file: &Path, problems: &mut Problems) -> Words {
    let raw = match super::yaml::parse::<Option<HashMap<Spanned<String>, Spanned<String>>>>(text, file) {
        Ok(raw) => raw.unwrap_or_default(),
        Err(p) => {
            problems.push(p);
            return builtin().clone();
        }
    };
    let mut c = Checker { file, problems };
    let mut text: BTreeMap<Word, String> = Word::ALL.iter().map(|w| (*w, builtin().get(*w).to_string())).collect();
    // In the file's order, so messages read top to bottom.
    let mut raw: Vec<_> = raw.into_iter().collect();
    raw.sort_by_key(|(k, _)| (k.referenced.line(), k.referenced.column()));
    for (key, value) in &raw {
        let Some(word) = Word::parse(&key.value) else {
            let p = c.at(key);
            let known: Vec<&str> = Word::ALL.iter().map(|w| w.key()).collect();
            c.error(p, "words.unknown", format!("词语表中没有“{}”；可改写的有：{}", key.value.trim(), known.join("、")));
            continue;
        };
        let v = tidy(&value.value);
        if let Some(why) = super::limits::name_problem(&v) {
            let p = c.at(value);
            c.error(p, "words.invalid", format!("词语“{}”{why}", word.key()));
            continue;
        }
        if let Some(bad) = placeholders(&v).find(|p| !word.placeholders().contains(p)) {
            let p = c.at(value);
            let allowed = match word.placeholders() {
                [] => "不能用占位符".to_string(),
                some => format!("只能用 {}", some.iter().map(|p| format!("{{{p}}}")).collect::<Vec<_>>().join("、")),
            };
            c.error(p, "words.placeholder", format!("词语“{}”中的“{{{bad}}}”不是它可用的占位符；此项{allowed}", word.key()));
            continue;
        }
        text.insert(word, v);
    }
    Words::new(text)
}

/// The `{名称}` placeholders of a text.
fn placeholders(text: &str) -> impl Iterator<Item = &str> {
    text.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_vocabulary_has_every_word_within_its_placeholders() {
        let raw: BTreeMap<String, String> = serde_saphyr::from_str(crate::embedded::WORDS).unwrap();
        for w in Word::ALL {
            let text = raw.get(w.key()).unwrap_or_else(|| panic!("{} missing", w.key()));
            assert!(placeholders(text).all(|p| w.placeholders().contains(&p)), "{}: {text}", w.key());
        }
        assert_eq!(raw.len(), Word::ALL.len(), "no key that is not a word");
        assert_eq!(builtin().title(Word::LetterTitle, 2026), "2026年度党风廉政建设责任书");
    }

    #[test]
    fn a_workspace_changes_the_words_it_lists_and_is_told_of_a_wrong_one() {
        let mut problems = Problems::new();
        let w = words("party_a: 委托方\nsign_label: \"{身份}签名\"\n", Path::new("words.yaml"), &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!((w.get(Word::PartyA), w.get(Word::PartyB)), ("委托方", "乙方"));
        assert_eq!(w.sign_label("书记"), "书记签名");
        let w = words("partyA: 甲\nparty_b: \"{年度}乙\"\n", Path::new("words.yaml"), &mut problems);
        let said: Vec<String> = problems.0.iter().map(|p| format!("{} {}", p.place, p.message)).collect();
        assert!(said[0].starts_with("words.yaml:1:1 词语表中没有“partyA”；可改写的有：letter_title"), "{said:?}");
        assert!(said[1].contains("词语“party_b”中的“{年度}”不是它可用的占位符；此项不能用占位符"), "{said:?}");
        assert_eq!(w.get(Word::PartyB), "乙方", "a refused entry leaves the built-in word");
    }
}
