//! What a signature block needs to know of each party, whatever the kind: who the party is,
//! whether it stamps a seal, who signs by hand and in what capacity. How it is drawn (seal line,
//! a blank for the hand, the printed name beside or below, the date line) is the layout's.

use crate::model::{Person, Unit, Word, Words, Workspace};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct PartyView {
    /// 甲方, 乙方, 考核组, 被考核单位…
    pub role: String,
    /// The party as printed: an organ or a unit, or a person signing for himself or herself.
    pub name: String,
    /// The party stamps its seal: the organ, a unit of a type that has one; never a person.
    pub seal: bool,
    /// The party is a person (a 班子成员, a deputy), who signs but has no seal.
    pub person: bool,
    /// Who signs by hand, and as what.
    pub signer: SignerView,
}

#[derive(Debug, Clone, Serialize)]
pub struct SignerView {
    /// The printed name; empty where several sign (考核组成员).
    pub name: String,
    pub title: String,
    /// The capacity on the signing line: 书记, 分管领导, 负责人, 支部书记, 主要负责人, 本人…
    pub capacity: String,
    /// The signing line's label, ready made: 书记（签字）.
    pub label: String,
}

impl SignerView {
    /// `person` signs as `capacity`; the label is the vocabulary's (书记（签字）).
    pub fn new(words: &Words, person: Option<&Person>, capacity: &str) -> SignerView {
        SignerView {
            name: person.map(|p| p.name.clone()).unwrap_or_default(),
            title: person.map(|p| p.title.clone()).unwrap_or_default(),
            capacity: capacity.to_string(),
            label: words.sign_label(capacity),
        }
    }
}

/// The committee as a party: its seal, signed by `signer` as `capacity`.
pub fn organ(ws: &Workspace, role: &str, signer: &Person, capacity: &str) -> PartyView {
    PartyView {
        role: role.into(),
        name: ws.settings.organ.clone(),
        seal: true,
        person: false,
        signer: SignerView::new(&ws.words, Some(signer), capacity),
    }
}

/// A unit as a party, signed by its head as its kind says (负责人, 支部书记, 党委书记…);
/// sealed where its kind has a seal.
pub fn unit(ws: &Workspace, role: &str, u: &Unit) -> PartyView {
    let kind = ws.kind_of(u);
    PartyView {
        role: role.into(),
        name: u.name.clone(),
        seal: kind.seal,
        person: false,
        signer: SignerView::new(&ws.words, Some(&u.leader), &kind.head),
    }
}

/// A person signing for himself or herself (本人).
pub fn person(ws: &Workspace, role: &str, p: &Person) -> PartyView {
    let signer = SignerView::new(&ws.words, Some(p), ws.words.get(Word::InPerson));
    PartyView { role: role.into(), name: p.name.clone(), seal: false, person: true, signer }
}
