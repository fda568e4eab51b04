//! The document model a template's markup parses into. It says *what* a document holds — title,
//! headings, tables, signatures — never how it looks: no sizes, fonts or twips here.

/// One document (one unit's letter). A print file is several of these, one section each.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    pub blocks: Vec<Block>,
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
    /// The two-party signing block of a 责任书 (甲方 | 乙方).
    Parties(Vec<Party>),
    /// N empty lines on the grid (GB/T 9704 "空N行").
    Blank(u32),
    PageBreak,
    /// 附件说明: the label ("附件："), then the items, numbered when there are several.
    Attachments {
        label: String,
        items: Vec<Vec<Inline>>,
    },
    /// 版记: 抄送 (after its label, "抄送："), 印发机关 and 印发日期 (with "印发") between rules.
    Imprint {
        cc_label: String,
        cc: Vec<Inline>,
        issuer: Vec<Inline>,
        issued: Vec<Inline>,
    },
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
                            line(&[p]);
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
                    line(&[&[Inline::Text(party.sign.clone())], &party.signer]);
                    line(&[&party.date]);
                }
            }
            Block::Attachments { label, items } => {
                for (n, i) in items.iter().enumerate() {
                    let head = if n == 0 { label.as_str() } else { "" };
                    line(&[&[Inline::Text(head.to_string())], i]);
                }
            }
            Block::Imprint { cc_label, cc, issuer, issued } => {
                if !cc.is_empty() {
                    line(&[&[Inline::Text(cc_label.clone())], cc]);
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
    /// Relative column widths; their count is the grid's column count.
    pub widths: Vec<u32>,
    pub rows: Vec<Row>,
    /// Smaller text, for wide forms such as a 考核评分表.
    pub small: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row {
    /// Repeats at the top of every page the table runs onto.
    pub header: bool,
    /// May break across pages (long text); rows are kept whole by default.
    pub split: bool,
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub colspan: u32,
    pub rowspan: u32,
    pub align: Align,
    /// One or more paragraphs of text.
    pub paragraphs: Vec<Vec<Inline>>,
}

/// One side of a signing block, as its lines stand: the seal line ("甲方（盖章）："), the
/// organ, the signature line ("书记（签字）："), who signs, the date. The words are the
/// template's; layout sets them as given.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Party {
    /// Which party this is ("甲方"), for messages.
    pub label: String,
    /// Empty: no seal line (a party without a seal).
    pub seal: String,
    pub organ: Vec<Inline>,
    /// Empty: no signature line.
    pub sign: String,
    /// Usually empty: the line is signed by hand.
    pub signer: Vec<Inline>,
    pub date: Vec<Inline>,
}
