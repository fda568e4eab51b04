//! The package parts that are the same for every document of a run — styles, settings, fonts,
//! theme, footers, relationships — written by us from `Style`, once per run.

use super::style::{FontRole, ParaStyle, Style, ids};
use super::writer::{FOOTER_EVEN_LANDSCAPE_RID, FOOTER_EVEN_RID, FOOTER_FIRST_RID, FOOTER_ODD_LANDSCAPE_RID, FOOTER_ODD_RID};
use quick_xml::escape::escape;
use std::fmt::Write;

pub const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
pub const R_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const DECL: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;

/// Per-document facts for docProps.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meta {
    pub title: String,
    /// The issuing organ.
    pub creator: String,
    /// ISO date; also the timestamp, so output is reproducible.
    pub date: String,
}

/// Fixed parts, built once per run and shared by every document.
#[derive(Debug)]
pub struct FixedParts {
    pub styles: Vec<u8>,
    pub settings: Vec<u8>,
    pub font_table: Vec<u8>,
    pub theme: Vec<u8>,
    pub footer_odd: Vec<u8>,
    pub footer_even: Vec<u8>,
    pub footer_odd_landscape: Vec<u8>,
    pub footer_even_landscape: Vec<u8>,
    /// A 信函's first page: no 页码 (GB/T 9704 10.1).
    pub footer_first: Vec<u8>,
    pub content_types: Vec<u8>,
    pub root_rels: Vec<u8>,
    pub document_rels: Vec<u8>,
    /// All of the above, deflated once into a zip that each package copies from.
    pub zipped: super::package::Zipped,
}

impl FixedParts {
    pub fn new(style: &Style) -> FixedParts {
        let mut parts = FixedParts {
            styles: styles(style).into_bytes(),
            settings: settings(style).into_bytes(),
            font_table: font_table(style).into_bytes(),
            theme: theme(style).into_bytes(),
            footer_odd: footer(style, false).into_bytes(),
            footer_even: footer(style, true).into_bytes(),
            footer_odd_landscape: landscape_footer(style, false).into_bytes(),
            footer_even_landscape: landscape_footer(style, true).into_bytes(),
            footer_first: format!(
                r#"{DECL}<w:ftr xmlns:w="{W_NS}"><w:p><w:pPr><w:pStyle w:val="{}"/><w:spacing w:before="{}"/></w:pPr></w:p></w:ftr>"#,
                ids::FOOTER,
                style.footer_lift(&style.page)
            )
            .into_bytes(),
            content_types: content_types().into_bytes(),
            root_rels: root_rels().into_bytes(),
            document_rels: document_rels().into_bytes(),
            zipped: super::package::Zipped::default(),
        };
        parts.zipped = super::package::zip_fixed(&parts);
        parts
    }
}

fn rfonts(style: &Style, role: FontRole) -> String {
    let ea = escape(style.font(role)).into_owned();
    // 页码 digits are 半角宋体 (§7.5); elsewhere Latin text uses the Latin face.
    let latin = if role == FontRole::Songti { ea.clone() } else { escape(style.fonts.latin.as_str()).into_owned() };
    format!(r#"<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{ea}" w:cs="{latin}"/>"#)
}

fn para_style(s: &ParaStyle, style: &Style, default: bool) -> String {
    let mut x = String::new();
    let _ = write!(
        x,
        r#"<w:style w:type="paragraph"{} w:customStyle="1" w:styleId="{}"><w:name w:val="{}"/>"#,
        if default { r#" w:default="1""# } else { "" },
        s.id,
        s.name
    );
    if !default {
        let _ = write!(x, r#"<w:basedOn w:val="{}"/>"#, ids::BODY);
    }
    let _ = write!(x, r#"<w:next w:val="{}"/>"#, if s.outline.is_some() || s.id == ids::TITLE { ids::BODY } else { s.id });
    x.push_str("<w:qFormat/><w:pPr>");
    if s.keep_next {
        x.push_str("<w:keepNext/>");
    }
    // widowControl off: with it LibreOffice fits only 21 of the 22 lines (brief, known traps).
    x.push_str(r#"<w:widowControl w:val="0"/>"#);
    if let Some((width, color)) = s.rule_below {
        let _ = write!(x, r#"<w:pBdr><w:bottom w:val="single" w:sz="{width}" w:space="0" w:color="{color}"/></w:pBdr>"#);
    }
    // Off the line grid where the style has its own pitch or taller glyphs: Word lets an exact
    // line ignore the grid, LibreOffice snaps it to whole grid rows (the 二号 title took two
    // rows, pushing a body line off page 1; a table cell's 四号 line took the body's pitch).
    if s.line.is_some() || s.size > style.body_size {
        x.push_str(r#"<w:snapToGrid w:val="0"/>"#);
    }
    let _ = write!(
        x,
        r#"<w:spacing w:before="{}" w:after="0" w:line="{}" w:lineRule="exact"/>"#,
        s.space_before,
        s.line.unwrap_or(style.line_pitch)
    );
    let first = s.first_line_chars * style.char_width / 100;
    let right = s.right_chars * style.char_width / 100;
    let _ = write!(x, r#"<w:ind w:left="{}" w:right="{right}""#, s.left);
    if s.right_chars > 0 {
        let _ = write!(x, r#" w:rightChars="{}""#, s.right_chars);
    }
    if s.hanging > 0 {
        let _ = write!(x, r#" w:hanging="{}""#, s.hanging);
    } else {
        let _ = write!(x, r#" w:firstLineChars="{}" w:firstLine="{first}""#, s.first_line_chars);
    }
    x.push_str("/>");
    if let Some(jc) = s.align {
        let _ = write!(x, r#"<w:jc w:val="{jc}"/>"#);
    }
    if let Some(level) = s.outline {
        let _ = write!(x, r#"<w:outlineLvl w:val="{}"/>"#, level - 1);
    }
    x.push_str("</w:pPr><w:rPr>");
    x.push_str(&rfonts(style, s.font));
    if let Some(color) = s.color {
        let _ = write!(x, r#"<w:color w:val="{color}"/>"#);
    }
    let _ = write!(x, r#"<w:sz w:val="{0}"/><w:szCs w:val="{0}"/>"#, s.size);
    x.push_str("</w:rPr></w:style>");
    x
}

fn styles(style: &Style) -> String {
    let mut x = String::from(DECL);
    let _ = write!(x, r#"<w:styles xmlns:w="{W_NS}"><w:docDefaults><w:rPrDefault><w:rPr>"#);
    x.push_str(&rfonts(style, FontRole::Fangsong));
    let _ = write!(
        x,
        r#"<w:spacing w:val="{}"/><w:kern w:val="0"/><w:sz w:val="{1}"/><w:szCs w:val="{1}"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>"#,
        style.char_spacing, style.body_size
    );
    let _ = write!(
        x,
        r#"</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:widowControl w:val="0"/><w:kinsoku/><w:adjustRightInd w:val="0"/><w:spacing w:line="{}" w:lineRule="exact"/></w:pPr></w:pPrDefault></w:docDefaults>"#,
        style.line_pitch
    );
    for (i, s) in style.paragraph_styles().iter().enumerate() {
        x.push_str(&para_style(s, style, i == 0));
    }
    // Word's own defaults for tables, then the ruled grid our tables use.
    let m = style.cell_margin;
    let _ = write!(
        x,
        r#"<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="{m}" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="{m}" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>"#
    );
    let b = style.table_border;
    let _ = write!(
        x,
        r#"<w:style w:type="table" w:customStyle="1" w:styleId="{}"><w:name w:val="公文表格"/><w:basedOn w:val="TableNormal"/><w:qFormat/><w:pPr><w:spacing w:line="{}" w:lineRule="exact"/></w:pPr><w:rPr><w:sz w:val="{2}"/><w:szCs w:val="{2}"/></w:rPr><w:tblPr><w:tblBorders>"#,
        ids::TABLE_STYLE,
        style.table_line,
        style.table_size
    );
    for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
        let _ = write!(x, r#"<w:{side} w:val="single" w:sz="{b}" w:space="0" w:color="000000"/>"#);
    }
    x.push_str("</w:tblBorders></w:tblPr></w:style></w:styles>");
    x
}

fn settings(style: &Style) -> String {
    format!(
        r#"{DECL}<w:settings xmlns:w="{W_NS}"><w:zoom w:percent="100"/><w:defaultTabStop w:val="{}"/><w:evenAndOddHeaders/><w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat><w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/><w:decimalSymbol w:val="."/><w:listSeparator w:val=","/></w:settings>"#,
        style.default_tab_stop()
    )
}

fn font_table(style: &Style) -> String {
    let f = &style.fonts;
    let mut names: Vec<&str> = vec![&f.fangsong, &f.heiti, &f.kaiti, &f.xiaobiaosong, &f.songti];
    names.dedup();
    let mut seen = std::collections::HashSet::new();
    let mut x = format!(r#"{DECL}<w:fonts xmlns:w="{W_NS}">"#);
    for name in names.into_iter().filter(|n| seen.insert(*n)) {
        let (alt, family) = super::style::Fonts::fallback(name);
        let _ = write!(x, r#"<w:font w:name="{}">"#, escape(name));
        if let Some(alt) = alt {
            let _ = write!(x, r#"<w:altName w:val="{alt}"/>"#);
        }
        let _ = write!(x, r#"<w:charset w:val="86"/><w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>"#);
    }
    let _ = write!(
        x,
        r#"<w:font w:name="{}"><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font></w:fonts>"#,
        escape(style.fonts.latin.as_str())
    );
    x
}

/// "— N —": odd pages right, even pages left, one 四号 character in from the 版心 edge.
fn footer(style: &Style, even: bool) -> String {
    format!(r#"{DECL}<w:ftr xmlns:w="{W_NS}" xmlns:r="{R_NS}">{}</w:ftr>"#, page_number(style, even, style.footer_lift(&style.page)))
}

/// The 页码 paragraph: "— ", the PAGE field, " —"; `before` twips above it (`Style::footer_lift`).
fn page_number(style: &Style, even: bool, before: u32) -> String {
    let (jc, ind) = if even {
        ("left", format!(r#"<w:ind w:left="{}" w:firstLine="0" w:firstLineChars="0"/>"#, style.footer_indent))
    } else {
        ("right", format!(r#"<w:ind w:right="{}" w:firstLine="0" w:firstLineChars="0"/>"#, style.footer_indent))
    };
    format!(
        r#"<w:p><w:pPr><w:pStyle w:val="{}"/>{spacing}{ind}<w:jc w:val="{jc}"/></w:pPr><w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t xml:space="preserve">— </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t xml:space="preserve"> —</w:t></w:r></w:p>"#,
        ids::FOOTER,
        spacing = if before > 0 { format!(r#"<w:spacing w:before="{before}"/>"#) } else { String::new() },
    )
}

/// EMU (DrawingML's unit) per twip.
const EMU: u64 = 635;

/// The 页码 of a landscape page (GB/T 9704 §8: "页码位置与公文其他页码保持一致"; 7.5). The
/// table's head is on the 订口 of an odd page and the 切口 of an even one, so the sheet's foot is
/// the page's left edge on odd pages and its right edge on even ones: the number stands beside
/// the table there, centred in that margin, in a text box as long as the 版心 and turned a
/// quarter to read upright on the sheet, one character in from the 版心's end at the sheet's
/// outer corner (the page's foot on odd pages, its head on even ones). Placed by alignment,
/// not offsets: LibreOffice drops the offsets of a shape in an even page's footer and put the
/// number at the paper's corner.
fn landscape_footer(style: &Style, even: bool) -> String {
    let page = style.page.landscape();
    let (cx, cy) = (u64::from(style.footer_size) * 10 * EMU, u64::from(page.text_height()) * EMU);
    // Read top to bottom on odd pages (the line ends at the page's foot), bottom to top on even
    // ones (it ends at the page's head): the number is at the line's end on both.
    let (margin, vert) = if even { ("rightMargin", "vert270") } else { ("leftMargin", "vert") };
    let number = page_number(style, false, 0);
    let lift = style.footer_lift(&page);
    format!(
        r#"{DECL}<w:ftr xmlns:w="{W_NS}" xmlns:r="{R_NS}" xmlns:wp="{WP_NS}" xmlns:a="{A_NS}" xmlns:wps="{WPS_NS}"><w:p><w:pPr><w:pStyle w:val="{footer}"/><w:spacing w:before="{lift}"/></w:pPr><w:r><w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" behindDoc="0" locked="1" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="{margin}"><wp:align>center</wp:align></wp:positionH><wp:positionV relativeFrom="margin"><wp:align>top</wp:align></wp:positionV><wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/><wp:docPr id="{id}" name="页码"/><wp:cNvGraphicFramePr/><a:graphic><a:graphicData uri="{WPS_NS}"><wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr><wps:txbx><w:txbxContent>{number}</w:txbxContent></wps:txbx><wps:bodyPr rot="0" vert="{vert}" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="ctr" anchorCtr="0"><a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r></w:p></w:ftr>"#,
        footer = ids::FOOTER,
        id = if even { 2 } else { 1 },
    )
}

const WP_NS: &str = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing";
const A_NS: &str = "http://schemas.openxmlformats.org/drawingml/2006/main";
const WPS_NS: &str = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape";

fn content_types() -> String {
    let main = "application/vnd.openxmlformats-officedocument.wordprocessingml";
    format!(
        r#"{DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="{main}.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="{main}.styles+xml"/><Override PartName="/word/settings.xml" ContentType="{main}.settings+xml"/><Override PartName="/word/fontTable.xml" ContentType="{main}.fontTable+xml"/><Override PartName="/word/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/><Override PartName="/word/footer1.xml" ContentType="{main}.footer+xml"/><Override PartName="/word/footer2.xml" ContentType="{main}.footer+xml"/><Override PartName="/word/footer3.xml" ContentType="{main}.footer+xml"/><Override PartName="/word/footer4.xml" ContentType="{main}.footer+xml"/><Override PartName="/word/footer5.xml" ContentType="{main}.footer+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>"#
    )
}

fn root_rels() -> String {
    format!(
        r#"{DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>"#
    )
}

fn document_rels() -> String {
    let t = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    format!(
        r#"{DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="{t}/styles" Target="styles.xml"/><Relationship Id="rIdSettings" Type="{t}/settings" Target="settings.xml"/><Relationship Id="rIdFontTable" Type="{t}/fontTable" Target="fontTable.xml"/><Relationship Id="rIdTheme" Type="{t}/theme" Target="theme/theme1.xml"/><Relationship Id="{FOOTER_ODD_RID}" Type="{t}/footer" Target="footer1.xml"/><Relationship Id="{FOOTER_EVEN_RID}" Type="{t}/footer" Target="footer2.xml"/><Relationship Id="{FOOTER_ODD_LANDSCAPE_RID}" Type="{t}/footer" Target="footer3.xml"/><Relationship Id="{FOOTER_EVEN_LANDSCAPE_RID}" Type="{t}/footer" Target="footer4.xml"/><Relationship Id="{FOOTER_FIRST_RID}" Type="{t}/footer" Target="footer5.xml"/></Relationships>"#
    )
}

pub fn core(meta: &Meta) -> Vec<u8> {
    let stamp = format!("{}T00:00:00Z", meta.date);
    format!(
        r#"{DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{}</dc:title><dc:creator>{}</dc:creator><cp:lastModifiedBy>zeren</cp:lastModifiedBy><dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>"#,
        escape(super::xml::clean(&meta.title).as_str()),
        escape(super::xml::clean(&meta.creator).as_str()),
    )
    .into_bytes()
}

pub fn app(meta: &Meta) -> Vec<u8> {
    format!(
        r#"{DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Template>Normal.dotm</Template><Application>zeren</Application><DocSecurity>0</DocSecurity><Company>{}</Company><AppVersion>1.0000</AppVersion></Properties>"#,
        escape(super::xml::clean(&meta.creator).as_str())
    )
    .into_bytes()
}

/// A small, complete Office theme whose fonts are the 公文 fonts.
fn theme(style: &Style) -> String {
    let latin = escape(style.fonts.latin.as_str()).into_owned();
    let body_ea = escape(style.fonts.fangsong.as_str()).into_owned();
    let head_ea = escape(style.fonts.heiti.as_str()).into_owned();
    let colors = [
        ("dk1", r#"<a:sysClr val="windowText" lastClr="000000"/>"#),
        ("lt1", r#"<a:sysClr val="window" lastClr="FFFFFF"/>"#),
        ("dk2", r#"<a:srgbClr val="44546A"/>"#),
        ("lt2", r#"<a:srgbClr val="E7E6E6"/>"#),
        ("accent1", r#"<a:srgbClr val="C00000"/>"#),
        ("accent2", r#"<a:srgbClr val="ED7D31"/>"#),
        ("accent3", r#"<a:srgbClr val="A5A5A5"/>"#),
        ("accent4", r#"<a:srgbClr val="FFC000"/>"#),
        ("accent5", r#"<a:srgbClr val="5B9BD5"/>"#),
        ("accent6", r#"<a:srgbClr val="70AD47"/>"#),
        ("hlink", r#"<a:srgbClr val="0563C1"/>"#),
        ("folHlink", r#"<a:srgbClr val="954F72"/>"#),
    ];
    let mut x = format!(
        r#"{DECL}<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="公文"><a:themeElements><a:clrScheme name="公文">"#
    );
    for (name, clr) in colors {
        let _ = write!(x, "<a:{name}>{clr}</a:{name}>");
    }
    let _ = write!(
        x,
        r#"</a:clrScheme><a:fontScheme name="公文"><a:majorFont><a:latin typeface="{latin}"/><a:ea typeface="{head_ea}"/><a:cs typeface=""/></a:majorFont><a:minorFont><a:latin typeface="{latin}"/><a:ea typeface="{body_ea}"/><a:cs typeface=""/></a:minorFont></a:fontScheme><a:fmtScheme name="公文"><a:fillStyleLst>"#
    );
    let solid = r#"<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>"#;
    for _ in 0..3 {
        x.push_str(solid);
    }
    x.push_str("</a:fillStyleLst><a:lnStyleLst>");
    for w in [6350, 12700, 19050] {
        let _ =
            write!(x, r#"<a:ln w="{w}" cap="flat" cmpd="sng" algn="ctr">{solid}<a:prstDash val="solid"/><a:miter lim="800000"/></a:ln>"#);
    }
    x.push_str("</a:lnStyleLst><a:effectStyleLst>");
    for _ in 0..3 {
        x.push_str("<a:effectStyle><a:effectLst/></a:effectStyle>");
    }
    x.push_str("</a:effectStyleLst><a:bgFillStyleLst>");
    for _ in 0..3 {
        x.push_str(solid);
    }
    x.push_str("</a:bgFillStyleLst></a:fmtScheme></a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>");
    x
}
