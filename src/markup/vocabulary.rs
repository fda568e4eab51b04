//! The tag names of our markup, in one place: the parser checks rendered text against them and
//! the template loader checks a template's literal tags against them (with the template's line).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    Document,
    Title,
    To,
    P,
    H1,
    H2,
    H3,
    H4,
    List,
    Item,
    Table,
    Tr,
    Td,
    Signature,
    Organ,
    Date,
    Parties,
    Party,
    Signer,
    Sign,
    Attachment,
    Blank,
    PageBreak,
    Attachments,
    Imprint,
    Cc,
    Issuer,
    Issued,
    Br,
    Tab,
    Letterhead,
    DocNo,
}

const TAGS: [(&str, Tag); 32] = [
    ("document", Tag::Document),
    ("title", Tag::Title),
    ("to", Tag::To),
    ("p", Tag::P),
    ("h1", Tag::H1),
    ("h2", Tag::H2),
    ("h3", Tag::H3),
    ("h4", Tag::H4),
    ("list", Tag::List),
    ("item", Tag::Item),
    ("table", Tag::Table),
    ("tr", Tag::Tr),
    ("td", Tag::Td),
    ("signature", Tag::Signature),
    ("organ", Tag::Organ),
    ("date", Tag::Date),
    ("parties", Tag::Parties),
    ("party", Tag::Party),
    ("signer", Tag::Signer),
    ("sign", Tag::Sign),
    ("attachment", Tag::Attachment),
    ("blank", Tag::Blank),
    ("pagebreak", Tag::PageBreak),
    ("attachments", Tag::Attachments),
    ("imprint", Tag::Imprint),
    ("cc", Tag::Cc),
    ("issuer", Tag::Issuer),
    ("issued", Tag::Issued),
    ("br", Tag::Br),
    ("tab", Tag::Tab),
    ("letterhead", Tag::Letterhead),
    ("docno", Tag::DocNo),
];

pub const NAMES: [&str; 32] = {
    let mut names = [""; 32];
    let mut i = 0;
    while i < TAGS.len() {
        names[i] = TAGS[i].0;
        i += 1;
    }
    names
};

pub fn tag(name: &str) -> Option<Tag> {
    TAGS.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}
