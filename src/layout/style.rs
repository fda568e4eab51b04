//! Every layout number in one place: GB/T 9704-2012 as OOXML units. A template never says
//! "16 pt"; it says `<h1>`, and this table says what a 一级标题 looks like.
//!
//! Units: twips (1/20 pt, 1 mm ≈ 56.69 tw) for lengths, half-points for font sizes (`w:sz`),
//! eighths of a point for rule widths.

/// Chinese size names in half-points (Word/ctex convention, domain notes §1.6).
pub mod size {
    pub const ER_HAO: u32 = 44; // 二号 22 pt
    pub const SAN_HAO: u32 = 32; // 三号 16 pt
    pub const SI_HAO: u32 = 28; // 四号 14 pt
    pub const XIAO_SI: u32 = 24; // 小四 12 pt
    pub const WU_HAO: u32 = 21; // 五号 10.5 pt
    pub const XIAO_CHU: u32 = 72; // 小初 36 pt
}

#[derive(Debug, Clone, PartialEq)]
pub struct Fonts {
    /// 仿宋_GB2312: body, 主送, 三/四级标题, 落款.
    pub fangsong: String,
    /// 黑体: 一级标题.
    pub heiti: String,
    /// 楷体_GB2312: 二级标题.
    pub kaiti: String,
    /// 方正小标宋简体: 公文标题.
    pub xiaobiaosong: String,
    /// 宋体: 页码.
    pub songti: String,
    /// Latin letters and digits (ascii/hAnsi channels).
    pub latin: String,
}

impl Fonts {
    /// The face Word falls back to where the named one is missing (font table `altName`,
    /// design settled 12), and its family, for each 公文 font.
    pub fn fallback(name: &str) -> (Option<&'static str>, &'static str) {
        match name {
            "仿宋_GB2312" => (Some("仿宋"), "modern"),
            "楷体_GB2312" => (Some("楷体"), "modern"),
            "方正小标宋简体" | "方正小标宋_GBK" => (Some("宋体"), "roman"),
            "黑体" => (Some("SimHei"), "modern"),
            "宋体" => (Some("SimSun"), "roman"),
            "仿宋" => (Some("FangSong"), "modern"),
            "楷体" => (Some("KaiTi"), "modern"),
            _ => (None, "auto"),
        }
    }
}

pub use crate::model::NamePlace;

#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// A4.
    pub width: u32,
    pub height: u32,
    /// 天头 37 mm.
    pub top: u32,
    /// 订口 28 mm.
    pub left: u32,
    /// 26 mm, so the 版心 is 156 mm wide.
    pub right: u32,
    /// 35 mm, so the 版心 is 225 mm high.
    pub bottom: u32,
    /// Distance from the paper's bottom edge to the bottom of the 页码 line. Chosen so the
    /// dashes of "— 1 —" sit 7 mm below the 版心 (§7.5): the line box's bottom lies about half a
    /// 四号 glyph below the dash. Measured in LibreOffice (tests/fidelity.rs): 1446 put the dash's
    /// top 6.44 mm below the 版心, 1414 puts it 6.97 mm.
    pub footer: u32,
    pub header: u32,
}

/// The first page of a 信函 (GB/T 9704 10.1), in twips from the paper's edges.
#[derive(Debug, Clone, PartialEq)]
pub struct Letter {
    /// From the paper's top to the top of the 标志 (its em box): 30 mm.
    pub organ_top: u32,
    /// The 标志's size (red 小标宋, on one line, condensed where too long).
    pub organ_size: u32,
    /// From the 标志's foot to the upper double rule (上粗下细): 4 mm.
    pub rule_gap: u32,
    /// Both double rules are 170 mm long, centred on the 版心.
    pub rule_width: u32,
    /// A double rule's thick line, its thin one and the space between them.
    pub thick: u32,
    pub thin: u32,
    pub between: u32,
    /// From the paper's bottom to the foot of the lower double rule (上细下粗): 20 mm.
    pub bottom: u32,
    /// From the upper rule to the top of the 文号 below it: 7/8 of a 三号 character's height.
    pub doc_no_gap: u32,
    /// Blank lines between the 文号 and the title ("与其上最后一个要素相距二行").
    pub title_gap: u32,
}

/// One line of a double rule: its top and thickness, in twips from the paper's top.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleLine {
    pub top: u32,
    pub thick: u32,
}

impl Style {
    /// The 信函's upper double rule, thick line first: 4 mm under the 标志.
    pub fn letter_upper_rule(&self) -> [RuleLine; 2] {
        let l = &self.letter;
        let top = l.organ_top + self.em(l.organ_size) + l.rule_gap;
        [RuleLine { top, thick: l.thick }, RuleLine { top: top + l.thick + l.between, thick: l.thin }]
    }

    /// The 信函's lower double rule, thin line first: its foot 20 mm above the paper's bottom.
    pub fn letter_lower_rule(&self) -> [RuleLine; 2] {
        let l = &self.letter;
        let foot = self.page.height - l.bottom;
        [RuleLine { top: foot - l.thick - l.between - l.thin, thick: l.thin }, RuleLine { top: foot - l.thick, thick: l.thick }]
    }

    /// The 标志's line in its box: a quarter em more than the em, which it is centred in.
    pub fn letter_organ_line(&self) -> u32 {
        self.em(self.letter.organ_size) * 5 / 4
    }

    /// The room above the 文号's line on a 信函's first page, from the grid's top, so that the
    /// 文号's characters start `doc_no_gap` under the upper rule.
    pub fn letter_head_room(&self, grid_top: u32) -> u32 {
        let [_, thin] = self.letter_upper_rule();
        let em = self.em(self.body_size);
        let glyph_top = thin.top + thin.thick + self.letter.doc_no_gap;
        (glyph_top - (self.line_pitch - em) / 2).saturating_sub(self.page.top + grid_top)
    }
}

/// One paragraph kind as it appears in styles.xml: a named Word style with a stable id.
#[derive(Debug, Clone, PartialEq)]
pub struct ParaStyle {
    pub id: &'static str,
    pub name: &'static str,
    pub font: FontRole,
    pub size: u32,
    pub align: Option<&'static str>,
    /// First-line indent in characters ×100 (200 = 左空二字).
    pub first_line_chars: u32,
    pub right_chars: u32,
    pub left: u32,
    pub hanging: u32,
    /// Outline level 1–4 for headings (Word's navigation pane).
    pub outline: Option<u8>,
    pub keep_next: bool,
    /// `None`: the grid pitch; `Some(n)`: exact n twips.
    pub line: Option<u32>,
    /// Text colour (RRGGBB) where not black: the 版头 is red.
    pub color: Option<&'static str>,
    pub space_before: u32,
    /// A rule under the paragraph: (width in eighths of a point, colour).
    pub rule_below: Option<(u32, &'static str)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FontRole {
    Fangsong,
    Heiti,
    Kaiti,
    Xiaobiaosong,
    Songti,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    pub page: Page,
    pub fonts: Fonts,
    /// Exact line pitch: 579 tw × 22 = 12 738 ≤ 12 756 (the 版心's height), so 22 lines fit.
    pub line_pitch: u32,
    /// Character tracking in twentieths of a point: −0.25 pt makes 28 × 15.75 pt fit 156 mm.
    pub char_spacing: i32,
    pub body_size: u32,
    /// 公文标题: 二号.
    pub title_size: u32,
    /// One body character in twips (三号 = 16 pt = 320 tw): the unit of 左空二字.
    pub char_width: u32,
    /// 页码: 四号宋体, one character in from the 版心 edge.
    pub footer_size: u32,
    pub footer_indent: u32,
    /// Table text (四号): a 5-column table in 三号 would wrap every word.
    pub table_size: u32,
    pub table_line: u32,
    /// Wide forms (考核评分表): 五号.
    pub small_table_size: u32,
    pub small_table_line: u32,
    /// Cell padding left/right.
    pub cell_margin: u32,
    /// 版记 rules: first and last 0.35 mm, middle 0.25 mm (in eighths of a point).
    pub rule_thick: u32,
    pub rule_thin: u32,
    pub imprint_size: u32,
    /// 版记 rows: the exact line height of their text, and the room a row adds above and below
    /// it so the rules clear the glyphs.
    pub imprint_line: u32,
    pub imprint_row_pad: u32,
    /// Table borders (single line, eighths of a point).
    pub table_border: u32,
    /// 版头 (GB/T 9704 7.2): 发文机关标志 size and its distance below the 版心 top (35 mm),
    /// the red of 版头 elements, the red rule's width and its distance below the 文号 (4 mm).
    pub letterhead_size: u32,
    pub letterhead_top: u32,
    pub red: &'static str,
    pub red_rule: u32,
    pub rule_gap: u32,
    /// 信函格式 (GB/T 9704 10.1): where its 标志 and double rules stand on the first page.
    pub letter: Letter,
    /// 签署栏: the blank left for a hand signature after its label ("书记（签字）："), drawn as a
    /// rule (a tab's underscore leader). Where the label leaves less room in its column the
    /// blank is as wide as the room, down to `sign_blank_min`; below that it goes on a line of
    /// its own under the label.
    pub sign_blank: u32,
    pub sign_blank_min: u32,
    /// The least room between one party's blank and the next party's column.
    pub sign_gap: u32,
    /// The height of the sliver paragraph that ends a section or carries a page break between
    /// the two parts of a cut table.
    pub end_line: u32,
    /// Where the printed name of who signs goes, and the marks it is set between: （沈嘉木）.
    pub signer_name: NamePlace,
    pub name_marks: (&'static str, &'static str),
    /// Tables whose widths the template leaves to the layout. A run of up to `table_word` hanzi
    /// between punctuation is a word (a name, a place, a header) kept on one line where the
    /// table has room; a column of running text gets at least `table_prose` of its characters a
    /// line; a table that cannot have both within the portrait 版心 is set on a landscape page.
    pub table_word: u32,
    pub table_prose: u32,
    /// A row estimated taller than this many lines may break across pages, so a long row does
    /// not leave the rest of a page empty; shorter rows are kept whole.
    pub table_keep_lines: u32,
    /// Lines of a row that breaks across pages the page's foot must hold, or the row goes whole
    /// onto the next page (a typesetter's orphan rule for tables).
    pub table_split_lines: u32,
    /// How many of a table's last rows the page model moves onto the page of a signing block
    /// that would stand alone on it (GB/T 9704 7.3.5: no signature without text).
    pub table_rows_with_signature: usize,
    /// The gap readers put between a hanzi and a Latin letter or digit, in percent of the em:
    /// LibreOffice's measures a fifth; counted a little wide so a measured line never wraps.
    pub latin_gap: u32,
    /// Where the writer may break a cell's line between words, it leaves this much of the
    /// column unused, so a reader's rounding never wraps what was measured to fit.
    pub table_slack: u32,
}

impl Style {
    /// GB/T 9704-2012 as numbers (domain notes §1, §5).
    pub fn gbt9704() -> Style {
        Style {
            page: Page { width: 11906, height: 16838, top: 2098, left: 1588, right: 1474, bottom: 1984, footer: 1414, header: 851 },
            fonts: Fonts {
                fangsong: "仿宋_GB2312".into(),
                heiti: "黑体".into(),
                kaiti: "楷体_GB2312".into(),
                xiaobiaosong: "方正小标宋简体".into(),
                songti: "宋体".into(),
                latin: "Times New Roman".into(),
            },
            line_pitch: 579,
            char_spacing: -5,
            body_size: size::SAN_HAO,
            title_size: size::ER_HAO,
            char_width: 320,
            footer_size: size::SI_HAO,
            footer_indent: 280,
            table_size: size::SI_HAO,
            table_line: 400,
            small_table_size: size::WU_HAO,
            small_table_line: 300,
            cell_margin: 85,
            rule_thick: 8,
            rule_thin: 6,
            imprint_size: size::SI_HAO,
            imprint_line: 440,
            imprint_row_pad: 120,
            table_border: 4,
            letterhead_size: size::XIAO_CHU,
            letterhead_top: 1984,
            red: "FF0000",
            red_rule: 12,
            rule_gap: 227,
            letter: Letter {
                organ_top: 1701,
                organ_size: size::XIAO_CHU,
                rule_gap: 227,
                rule_width: 9638,
                thick: 45,
                thin: 15,
                between: 20,
                bottom: 1134,
                doc_no_gap: 280,
                title_gap: 2,
            },
            // Six characters (34 mm), room for a name signed by hand; four at the least.
            sign_blank: 6 * 315,
            sign_blank_min: 4 * 315,
            sign_gap: 315,
            end_line: 20,
            signer_name: NamePlace::Below,
            name_marks: ("（", "）"),
            table_word: 4,
            table_prose: 6,
            table_keep_lines: 3,
            table_split_lines: 2,
            table_rows_with_signature: 2,
            table_slack: 40,
            latin_gap: 25,
        }
    }

    pub fn font(&self, role: FontRole) -> &str {
        match role {
            FontRole::Fangsong => &self.fonts.fangsong,
            FontRole::Heiti => &self.fonts.heiti,
            FontRole::Kaiti => &self.fonts.kaiti,
            FontRole::Xiaobiaosong => &self.fonts.xiaobiaosong,
            FontRole::Songti => &self.fonts.songti,
        }
    }

    /// The paragraph styles every document carries, body first (it is the default).
    pub fn paragraph_styles(&self) -> Vec<ParaStyle> {
        let body = ParaStyle {
            id: ids::BODY,
            name: "正文",
            font: FontRole::Fangsong,
            size: self.body_size,
            align: Some("both"),
            first_line_chars: 200,
            right_chars: 0,
            left: 0,
            hanging: 0,
            outline: None,
            keep_next: false,
            line: None,
            color: None,
            space_before: 0,
            rule_below: None,
        };
        let heading = |id, name, font, level| ParaStyle { id, name, font, outline: Some(level), keep_next: true, ..body.clone() };
        let flush = |id, name| ParaStyle { id, name, first_line_chars: 0, align: Some("left"), ..body.clone() };
        vec![
            body.clone(),
            ParaStyle { id: ids::BODY_FLUSH, name: "正文（顶格）", first_line_chars: 0, ..body.clone() },
            ParaStyle {
                id: ids::TITLE,
                name: "公文标题",
                font: FontRole::Xiaobiaosong,
                size: self.title_size,
                align: Some("center"),
                first_line_chars: 0,
                keep_next: true,
                ..body.clone()
            },
            ParaStyle { keep_next: true, ..flush(ids::ADDRESSEE, "主送") },
            heading(ids::HEADINGS[0], "一级标题", FontRole::Heiti, 1),
            heading(ids::HEADINGS[1], "二级标题", FontRole::Kaiti, 2),
            heading(ids::HEADINGS[2], "三级标题", FontRole::Fangsong, 3),
            heading(ids::HEADINGS[3], "四级标题", FontRole::Fangsong, 4),
            ParaStyle { align: Some("right"), right_chars: 200, first_line_chars: 0, keep_next: true, ..body.clone() }
                .named(ids::SIGNATURE, "落款"),
            ParaStyle { align: Some("right"), right_chars: 400, first_line_chars: 0, ..body.clone() }.named(ids::DATE, "成文日期"),
            // Laid out for the usual three-character label (附件：); the writer sets each
            // paragraph's indents from the label the template gives.
            ParaStyle { first_line_chars: 0, left: self.body_indent() + 3 * self.char_width, hanging: 3 * self.char_width, ..body.clone() }
                .named(ids::ATTACHMENTS, "附件说明"),
            ParaStyle { keep_next: true, ..flush(ids::PARTY, "签署栏") },
            ParaStyle { font: FontRole::Heiti, keep_next: true, ..flush(ids::ATTACHMENT_LABEL, "附件标识") },
            ParaStyle { size: self.table_size, first_line_chars: 0, align: Some("left"), line: Some(self.table_line), ..body.clone() }
                .named(ids::TABLE, "表格文字"),
            ParaStyle {
                size: self.small_table_size,
                first_line_chars: 0,
                align: Some("left"),
                line: Some(self.small_table_line),
                ..body.clone()
            }
            .named(ids::TABLE_SMALL, "表格文字（小）"),
            ParaStyle {
                size: self.imprint_size,
                first_line_chars: 0,
                align: Some("left"),
                left: self.imprint_indent(),
                line: Some(self.imprint_line),
                ..body.clone()
            }
            .named(ids::IMPRINT, "版记"),
            ParaStyle {
                font: FontRole::Xiaobiaosong,
                size: self.letterhead_size,
                align: Some("center"),
                first_line_chars: 0,
                keep_next: true,
                line: Some(self.letterhead_size * 25 / 2),
                color: Some(self.red),
                space_before: self.letterhead_top,
                ..body.clone()
            }
            .named(ids::LETTERHEAD, "发文机关标志"),
            ParaStyle { align: Some("center"), first_line_chars: 0, keep_next: true, ..body.clone() }.named(ids::DOC_NO, "发文字号"),
            // 信函 (GB/T 9704 10.1): the 标志 in its box above the 版心, the room down to the
            // 文号 under the upper rule, the 文号 at the 版心's right.
            ParaStyle {
                font: FontRole::Xiaobiaosong,
                size: self.letter.organ_size,
                align: Some("center"),
                first_line_chars: 0,
                line: Some(self.letter_organ_line()),
                color: Some(self.red),
                ..body.clone()
            }
            .named(ids::LETTER_ORGAN, "发文机关标志（信函）"),
            ParaStyle {
                first_line_chars: 0,
                keep_next: true,
                line: Some(self.letter_head_room(self.page.grid_top(self.line_pitch))),
                ..body.clone()
            }
            .named(ids::LETTER_HEAD, "信函版头"),
            ParaStyle { align: Some("right"), first_line_chars: 0, keep_next: true, ..body.clone() }
                .named(ids::LETTER_DOC_NO, "发文字号（信函）"),
            ParaStyle {
                first_line_chars: 0,
                keep_next: true,
                line: Some(self.rule_gap),
                rule_below: Some((self.red_rule, self.red)),
                ..body.clone()
            }
            .named(ids::RULE, "版头分隔线"),
            ParaStyle { first_line_chars: 0, size: 2, line: Some(self.end_line), ..body.clone() }.named(ids::END, "文末"),
            ParaStyle {
                font: FontRole::Songti,
                size: self.footer_size,
                first_line_chars: 0,
                align: None,
                line: Some(self.footer_size * 10),
                ..body
            }
            .named(ids::FOOTER, "页码"),
        ]
    }
}

impl ParaStyle {
    fn named(self, id: &'static str, name: &'static str) -> ParaStyle {
        ParaStyle { id, name, ..self }
    }
}

/// Stable style ids (ASCII, so Word keeps them; the Chinese names are what users see).
pub mod ids {
    pub const BODY: &str = "GwBody";
    pub const BODY_FLUSH: &str = "GwBodyFlush";
    pub const TITLE: &str = "GwTitle";
    pub const ADDRESSEE: &str = "GwAddressee";
    pub const HEADINGS: [&str; 4] = ["GwHeading1", "GwHeading2", "GwHeading3", "GwHeading4"];
    pub const SIGNATURE: &str = "GwSignature";
    pub const DATE: &str = "GwDate";
    pub const ATTACHMENTS: &str = "GwAttachments";
    pub const PARTY: &str = "GwParty";
    pub const ATTACHMENT_LABEL: &str = "GwAttachmentLabel";
    pub const TABLE: &str = "GwTable";
    pub const TABLE_SMALL: &str = "GwTableSmall";
    pub const IMPRINT: &str = "GwImprint";
    pub const FOOTER: &str = "GwFooter";
    pub const TABLE_STYLE: &str = "GwTableGrid";
    pub const LETTERHEAD: &str = "GwLetterhead";
    pub const DOC_NO: &str = "GwDocNo";
    pub const LETTER_ORGAN: &str = "GwLetterOrgan";
    pub const LETTER_HEAD: &str = "GwLetterHead";
    pub const LETTER_DOC_NO: &str = "GwLetterDocNo";
    pub const RULE: &str = "GwRule";
    pub const END: &str = "GwEnd";
}

/// Applies a workspace's overrides (fonts, line pitch) to the standard style.
pub fn with_choice(mut style: Style, choice: &crate::model::StyleChoice) -> Style {
    let set = |slot: &mut String, v: &Option<String>| {
        if let Some(v) = v {
            *slot = v.clone();
        }
    };
    set(&mut style.fonts.fangsong, &choice.fangsong);
    set(&mut style.fonts.heiti, &choice.heiti);
    set(&mut style.fonts.kaiti, &choice.kaiti);
    set(&mut style.fonts.xiaobiaosong, &choice.xiaobiaosong);
    set(&mut style.fonts.songti, &choice.songti);
    if let Some(p) = choice.line_pitch {
        style.line_pitch = p;
    }
    if let Some(place) = choice.signer_name {
        style.signer_name = place;
    }
    style
}
