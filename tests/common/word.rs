//! A user's own Word document, built here as Word writes one: the package parts, styles, a
//! header and a footer when asked, paragraphs with their paraIds. Used by the tests of Word
//! templates (filling) and of `template import`.

use std::io::Write;
use std::path::Path;

pub const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:v="urn:schemas-microsoft-com:vml""#;

/// What the document holds besides the package's fixed parts.
#[derive(Default)]
pub struct WordDoc<'a> {
    /// The body's blocks (the section properties are added).
    pub body: &'a str,
    /// The default header's paragraphs, if any.
    pub header: Option<&'a str>,
    /// The default footer's paragraphs, if any.
    pub footer: Option<&'a str>,
    /// Settings, font table and theme (`word_parts` in tests/word_templates.rs): (name, bytes),
    /// referenced as Word references them.
    pub extra: &'a [(String, Vec<u8>)],
}

/// A .docx of just this body.
pub fn docx(path: &Path, body: &str) {
    WordDoc { body, ..WordDoc::default() }.write(path);
}

/// A .docx of this body and header.
pub fn docx_with_header(path: &Path, body: &str, header: &str) {
    WordDoc { body, header: Some(header), ..WordDoc::default() }.write(path);
}

impl WordDoc<'_> {
    pub fn write(&self, path: &Path) {
        let mut types = String::new();
        let mut rels = String::new();
        let mut refs = String::new();
        let mut rel = |id: &str, kind: &str, target: &str| {
            rels.push_str(&format!(
                r#"<Relationship Id="{id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}" Target="{target}"/>"#
            ))
        };
        rel("rId1", "styles", "styles.xml");
        if self.header.is_some() {
            types.push_str(r#"<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>"#);
            rel("rId2", "header", "header1.xml");
            refs.push_str(r#"<w:headerReference w:type="default" r:id="rId2"/>"#);
        }
        if self.footer.is_some() {
            types.push_str(r#"<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>"#);
            rel("rId6", "footer", "footer1.xml");
            refs.push_str(r#"<w:footerReference w:type="default" r:id="rId6"/>"#);
        }
        if !self.extra.is_empty() {
            types.push_str(r#"<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/><Override PartName="/word/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>"#);
            rel("rId3", "settings", "settings.xml");
            rel("rId4", "fontTable", "fontTable.xml");
            rel("rId5", "theme", "theme/theme1.xml");
        }
        let file = std::fs::File::create(path).unwrap();
        let mut zip = zip::ZipWriter::new(file);
        let o = zip::write::SimpleFileOptions::default();
        let mut put = |name: &str, bytes: &[u8]| {
            zip.start_file(name, o).unwrap();
            zip.write_all(bytes).unwrap();
        };
        let decl = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;
        put(
            "[Content_Types].xml",
            format!(
                r#"{decl}
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>{types}</Types>"#
            )
            .as_bytes(),
        );
        put(
            "_rels/.rels",
            format!(
                r#"{decl}
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#
            )
            .as_bytes(),
        );
        put(
            "word/_rels/document.xml.rels",
            format!(
                r#"{decl}
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"#
            )
            .as_bytes(),
        );
        put(
            "word/styles.xml",
            format!(
                r#"{decl}
<w:styles {NS}><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:rPr><w:rFonts w:ascii="仿宋" w:eastAsia="仿宋"/><w:sz w:val="32"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:rPr><w:b/><w:sz w:val="44"/></w:rPr></w:style></w:styles>"#
            )
            .as_bytes(),
        );
        if let Some(header) = self.header {
            put("word/header1.xml", format!("{decl}\n<w:hdr {NS}>{header}</w:hdr>").as_bytes());
        }
        if let Some(footer) = self.footer {
            put("word/footer1.xml", format!("{decl}\n<w:ftr {NS}>{footer}</w:ftr>").as_bytes());
        }
        put(
            "word/document.xml",
            format!(
                r#"{decl}
<w:document {NS}><w:body>{}<w:sectPr>{refs}<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr></w:body></w:document>"#,
                self.body
            )
            .as_bytes(),
        );
        for (name, bytes) in self.extra {
            put(name, bytes);
        }
        zip.finish().unwrap();
    }
}

/// A paragraph with its own paraId, as Word gives each.
pub fn p(inner: &str) -> String {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0x1A2B_3C00);
    let id = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!(r#"<w:p w14:paraId="{id:08X}" w14:textId="77777777">{inner}</w:p>"#)
}

/// A run of plain text.
pub fn r(text: &str) -> String {
    format!(r#"<w:r><w:t xml:space="preserve">{text}</w:t></w:r>"#)
}

/// A run in bold red, to see a value keep its run's formatting.
pub fn bold(text: &str) -> String {
    format!(r#"<w:r><w:rPr><w:b/><w:color w:val="C00000"/></w:rPr><w:t>{text}</w:t></w:r>"#)
}

/// A table cell of one paragraph, with these cell properties (may be empty).
pub fn cell_with(props: &str, text: &str) -> String {
    let props = if props.is_empty() { String::new() } else { format!("<w:tcPr>{props}</w:tcPr>") };
    format!("<w:tc>{props}<w:p>{}</w:p></w:tc>", r(text))
}

pub fn cell(text: &str) -> String {
    cell_with("", text)
}

/// Appends `word_templates:` with these entries (YAML lines) to the workspace's zeren.yaml.
pub fn list_in_settings(ws: &Path, entry: &str) {
    let settings = ws.join("zeren.yaml");
    let mut yaml = std::fs::read_to_string(&settings).unwrap();
    yaml.push_str(&format!("\nword_templates:\n{entry}\n"));
    std::fs::write(&settings, yaml).unwrap();
}
