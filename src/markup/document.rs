//! The document model a template's markup parses into. It says *what* a document holds — title,
//! headings, tables, signatures — never how it looks: no sizes, fonts or twips here.

/// One document (one unit's letter). A print file is several of these, one section each.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    pub blocks: Vec<Block>,
    /// How its first page is set: the usual 公文 or a 信函 (GB/T 9704 10.1).
    pub format: Format,
}

/// GB/T 9704's 公文格式 (7) or 信函格式 (10.1), which the template chooses
/// (`<document format="letter">`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Standard,
    /// The organ's name as 标志 30 mm from the paper's top, red double rules above and below
    /// the first page's text, the 文号 at the 版心's right under them, no number on page 1.
    Letter,
}

impl Document {
    /// The document's title: the text of its first `<title>`, used for file properties.
    pub fn title(&self) -> String {
        self.blocks
            .iter()
            .find_map(|b| match b {
                Block::Title(t) => Some(plain_text(t)),
                _ => None,
            })
            .unwrap_or_default()
    }

    /// All text of the document in reading order, one block a line (for `check` and tests).
    pub fn text(&self) -> String {
        let mut out = String::new();
        for b in &self.blocks {
            b.collect_text(&mut out);
        }
        out
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// 版头: red 发文机关标志, the 文号 below it, and the red rule.
    Letterhead {
        organ: Vec<Inline>,
        doc_no: Vec<Inline>,
    },
    /// 发文字号 on its own (a document without 版头).
    DocNo(Vec<Inline>),
    /// 公文标题.
    Title(Vec<Inline>),
    /// 主送机关, ending in "：".
    Addressee(Vec<Inline>),
    Paragraph(Paragraph),
    /// Heading levels 1–4 (一、/（一）/1./（1）); `number` is already resolved.
    Heading {
        level: u8,
        number: String,
        text: Vec<Inline>,
    },
    /// One item of a numbered list, its marker resolved ("1．").
    ListItem {
        marker: String,
        text: Vec<Inline>,
    },
    Table(Table),
    /// 落款 without a seal: organ over date, right of centre.
    Signature {
        organ: Vec<Inline>,
        date: Vec<Inline>,
    },
    /// The signing block of a 责任书 or a form: the parties side by side (甲方 | 乙方).
    Parties(Vec<Party>),
    /// N empty lines on the grid (GB/T 9704 "空N行").
    Blank(u32),
    PageBreak,
    /// 附件说明: the label ("附件："), then the items, numbered when there are several.
    Attachments {
        label: String,
        items: Vec<Vec<Inline>>,
    },
    /// The first page of an attachment (GB/T 9704 7.3.7): its label ("附件", numbered when the
    /// document has several) on the first line, its title centred on the third. What follows
    /// belongs to the attachment.
    Attachment {
        label: String,
        title: Vec<Inline>,
    },
    /// 版记: the 主送 and 抄送 lines (each after its label, "抄送："), then 印发机关 and 印发日期
    /// (with "印发") between rules.
    Imprint {
        lines: Vec<ImprintLine>,
        issuer: Vec<Inline>,
        issued: Vec<Inline>,
    },
}

/// One line of a 版记 above the 印发 line: its label ("主送：", "抄送：") and the organs.
#[derive(Debug, Clone, PartialEq)]
pub struct ImprintLine {
    pub label: String,
    pub text: Vec<Inline>,
}

impl Block {
    fn collect_text(&self, out: &mut String) {
        let mut line = |parts: &[&[Inline]]| {
            for p in parts {
                out.push_str(&plain_text(p));
            }
            out.push('\n');
        };
        match self {
            Block::Title(t) | Block::Addressee(t) | Block::DocNo(t) => line(&[t]),
            Block::Letterhead { organ, doc_no } => {
                line(&[organ]);
                line(&[doc_no]);
            }
            Block::Paragraph(p) => line(&[&p.text]),
            Block::Heading { number, text, .. } => line(&[&[Inline::Text(number.clone())], text]),
            Block::ListItem { marker, text } => line(&[&[Inline::Text(marker.clone())], text]),
            Block::Table(t) => {
                for row in &t.rows {
                    for cell in &row.cells {
                        for p in &cell.paragraphs {
                            line(&[&p.text]);
                        }
                    }
                }
            }
            Block::Signature { organ, date } => {
                line(&[organ]);
                line(&[date]);
            }
            Block::Parties(parties) => {
                for party in parties {
                    line(&[&[Inline::Text(party.seal.clone())], &party.organ]);
                    for sign in &party.signs {
                        line(&[&[Inline::Text(sign.label.clone())], &sign.name]);
                    }
                    line(&[&party.date]);
                }
            }
            Block::Attachment { label, title } => {
                line(&[&[Inline::Text(label.clone())]]);
                line(&[title]);
            }
            Block::Attachments { label, items } => {
                for (n, i) in items.iter().enumerate() {
                    let head = if n == 0 { label.as_str() } else { "" };
                    line(&[&[Inline::Text(head.to_string())], i]);
                }
            }
            Block::Imprint { lines, issuer, issued } => {
                for l in lines {
                    line(&[&[Inline::Text(l.label.clone())], &l.text]);
                }
                line(&[issuer, &[Inline::Text(" ".into())], issued]);
            }
            Block::Blank(_) | Block::PageBreak => {}
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    /// Justified, the body default.
    #[default]
    Justify,
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Paragraph {
    pub text: Vec<Inline>,
    pub align: Align,
    /// 左空二字 on the first line (the body default); off for a paragraph set flush.
    pub indent: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    /// A line break inside the paragraph (from a newline in data or `<br/>`).
    Break,
    Tab,
}

pub fn plain_text(inlines: &[Inline]) -> String {
    inlines
        .iter()
        .map(|i| match i {
            Inline::Text(t) => t.as_str(),
            Inline::Break => "\n",
            Inline::Tab => "\t",
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// The grid's column count.
    pub columns: usize,
    /// Relative column widths where the template fixes them; `None`: the layout measures the
    /// content and sets the table across, or on a landscape page when it is too wide.
    pub widths: Option<Vec<u32>>,
    pub rows: Vec<Row>,
    /// Smaller text, for wide forms such as a 考核评分表.
    pub small: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row {
    /// Repeats at the top of every page the table runs onto.
    pub header: bool,
    /// `Some(true)`: may break across pages; `Some(false)`: kept whole; `None`: the layout
    /// decides by the row's height (a tall row may break rather than leave a page half empty).
    pub split: Option<bool>,
    /// At least this many lines of text high (room to write by hand); 0: as the text needs.
    pub lines: u32,
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub colspan: u32,
    pub rowspan: u32,
    /// One or more paragraphs, each with its alignment (the cell's, unless a `<p>` says).
    pub paragraphs: Vec<Paragraph>,
}

/// One side of a signing block, as its lines stand: the party's line ("甲方（盖章）：" for a
/// party that seals, "乙方：" for one that does not), the organ, a signing line for each hand
/// ("书记（签字）：" and a blank), the date. The words are the template's; the layout draws the
/// blanks and places the printed names.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Party {
    /// Which party this is ("甲方"), for messages.
    pub label: String,
    /// The party's first line; empty: none.
    pub seal: String,
    pub organ: Vec<Inline>,
    pub signs: Vec<Sign>,
    /// The printed date, or a line to date by hand ("　　年　　月　　日"); empty: no date line.
    pub date: Vec<Inline>,
}

/// A signing line: its label and a blank for the hand. The printed name is never on the blank:
/// the layout sets it beside or below, or leaves it out, as the workspace chooses.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sign {
    /// "书记（签字）："; empty for one more blank under the one before (a group signing).
    pub label: String,
    /// Who signs, printed; empty where the name is not known (考核组成员).
    pub name: Vec<Inline>,
}

impl Party {
    /// A date line with no digits is one to fill in by hand.
    pub fn date_is_blank(&self) -> bool {
        !plain_text(&self.date).chars().any(|c| c.is_ascii_digit())
    }
}
