//! The words zeren itself puts in documents outside the templates — default titles, the
//! parties' roles, how signers sign, the 版记's issuer — as a vocabulary the workspace can
//! change (design settled 18: every printed word is the user's). The built-in vocabulary is
//! `templates/words.yaml`; a workspace's `templates/words.yaml` overrides the entries it lists.

use std::collections::BTreeMap;

/// One word of the vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Word {
    LetterTitle,
    PersonalLetterTitle,
    NoticeTitle,
    AssessmentTitle,
    PartyA,
    PartyB,
    Secretary,
    Supervisor,
    InPerson,
    SignLabel,
    MemberOwn,
    Recipient,
    RecipientSigner,
    Assessors,
    AssessorsName,
    AssessorsSigner,
    Assessed,
    AssessedHead,
    Bonus,
    Issuer,
}

/// `{年度}`: the workspace's year.
pub const YEAR: &str = "年度";
/// `{发文机关}`: zeren.yaml's organ.
pub const ORGAN: &str = "发文机关";
/// `{机关}`: the organ without its closing 委员会 (中共江州市财政局).
pub const ORGAN_STEM: &str = "机关";
/// `{身份}`: the capacity a signer signs in.
pub const CAPACITY: &str = "身份";

impl Word {
    pub const ALL: [Word; 20] = [
        Word::LetterTitle,
        Word::PersonalLetterTitle,
        Word::NoticeTitle,
        Word::AssessmentTitle,
        Word::PartyA,
        Word::PartyB,
        Word::Secretary,
        Word::Supervisor,
        Word::InPerson,
        Word::SignLabel,
        Word::MemberOwn,
        Word::Recipient,
        Word::RecipientSigner,
        Word::Assessors,
        Word::AssessorsName,
        Word::AssessorsSigner,
        Word::Assessed,
        Word::AssessedHead,
        Word::Bonus,
        Word::Issuer,
    ];

    /// Its key in words.yaml.
    pub fn key(self) -> &'static str {
        match self {
            Word::LetterTitle => "letter_title",
            Word::PersonalLetterTitle => "personal_letter_title",
            Word::NoticeTitle => "notice_title",
            Word::AssessmentTitle => "assessment_title",
            Word::PartyA => "party_a",
            Word::PartyB => "party_b",
            Word::Secretary => "secretary",
            Word::Supervisor => "supervisor",
            Word::InPerson => "in_person",
            Word::SignLabel => "sign_label",
            Word::MemberOwn => "member_own",
            Word::Recipient => "recipient",
            Word::RecipientSigner => "recipient_signer",
            Word::Assessors => "assessors",
            Word::AssessorsName => "assessors_name",
            Word::AssessorsSigner => "assessors_signer",
            Word::Assessed => "assessed",
            Word::AssessedHead => "assessed_head",
            Word::Bonus => "bonus",
            Word::Issuer => "issuer",
        }
    }

    pub fn parse(key: &str) -> Option<Word> {
        Word::ALL.into_iter().find(|w| w.key() == key.trim())
    }

    /// The placeholders its text may hold.
    pub fn placeholders(self) -> &'static [&'static str] {
        match self {
            Word::LetterTitle | Word::PersonalLetterTitle | Word::NoticeTitle | Word::AssessmentTitle => &[YEAR],
            Word::SignLabel => &[CAPACITY],
            Word::AssessorsName => &[ORGAN],
            Word::Issuer => &[ORGAN_STEM, ORGAN],
            _ => &[],
        }
    }
}

/// The vocabulary in force: every word has a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Words {
    text: BTreeMap<Word, String>,
}

impl Words {
    /// A vocabulary of these texts; a word missing from `text` reads as its key (the loader makes
    /// sure none is: the built-in vocabulary has every word, a workspace's only adds to it).
    pub fn new(text: BTreeMap<Word, String>) -> Words {
        Words { text }
    }

    pub fn get(&self, word: Word) -> &str {
        self.text.get(&word).map_or(word.key(), String::as_str)
    }

    /// The word with its placeholders filled: `values` are (name, value) pairs such as
    /// (`YEAR`, "2026").
    pub fn fill(&self, word: Word, values: &[(&str, &str)]) -> String {
        let mut out = self.get(word).to_string();
        for (name, value) in values {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
    }

    /// The label of a signing line: 书记（签字）.
    pub fn sign_label(&self, capacity: &str) -> String {
        self.fill(Word::SignLabel, &[(CAPACITY, capacity)])
    }

    /// A title for the year: 2026年度党风廉政建设责任书.
    pub fn title(&self, word: Word, year: i32) -> String {
        self.fill(word, &[(YEAR, &year.to_string())])
    }
}
