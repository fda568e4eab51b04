//! docxtemplater's side of the bulk comparison: the same letter as a docxtemplater template and
//! the same data as JSON, made from the benchmark's own workspace and roster.
//!
//! The template is laid out by zeren itself from markup that mirrors
//! `templates/responsibility-letter.xml` with docxtemplater tags in place of Tera, so both sides
//! write the same styles, parts and paragraphs. The data is what zeren's plan gives each unit.

use std::path::{Path, PathBuf};
use std::process::Command;
use zeren::load::{LoadOptions, UnitsFrom};

/// The letter as docxtemplater markup: `{#groups}`…`{/groups}` loops over paragraphs.
const TEMPLATE: &str = r#"<document>
  <title>{title}</title>
  <p indent="0">甲方：{organ}</p>
  <p indent="0">乙方：{unit}</p>
  <p>为深入推进全面从严治党，压紧压实党风廉政建设“两个责任”，根据{basis}等规定，结合工作实际，甲方与乙方签订本责任书。</p>
  <h1>责任内容</h1>
  <p>乙方对本{type}党风廉政建设工作负直接责任，{leader_title}{leader}同志为第一责任人。乙方应当认真履行以下责任：</p>
  <p>{#groups}</p>
  <h2 numbered="false">{number}{subject}</h2>
  <p>{#duties}</p>
  <p>{n}.{text}</p>
  <p>{/duties}</p>
  <p>{/groups}</p>
  <h1>考核与责任追究</h1>
  <p>{assessment}</p>
  <p>{accountability}</p>
  <h1>责任期限及其他</h1>
  <p>本责任书责任期限为{year}年1月1日至{year}年12月31日，自双方签字之日起生效。</p>
  <p>本责任书一式两份，甲乙双方各执一份。</p>
  <blank lines="1"/>
  <parties>
    <party label="甲方" seal="甲方（盖章）：" sign="{sign}"><organ>{organ}</organ><signer>{signer}</signer><date>{date}</date></party>
    <party label="乙方" seal="乙方（盖章）：" sign="负责人（签字）："><organ>{unit}</organ><signer>{leader}</signer><date>{date}</date></party>
  </parties>
</document>"#;

pub struct Docxtemplater {
    node_modules: PathBuf,
    template: PathBuf,
    data: PathBuf,
}

/// Writes the template and the data for `roster` into `tmp`.
pub fn prepare(tmp: &Path, ws: &Path, roster: &Path, node_modules: &Path) -> Docxtemplater {
    let options = LoadOptions { units: UnitsFrom::Roster(roster.to_path_buf()), ..Default::default() };
    let (prepared, problems) = zeren::site::Site::open(ws, &options, zeren::site::Access::ReadOnly);
    let prepared = prepared.unwrap_or_else(|| panic!("workspace loads: {problems:?}"));
    let w = &prepared.workspace;
    let s = &w.settings;
    let doc = zeren::markup::parse(TEMPLATE).expect("template markup");
    let meta = zeren::layout::Meta { title: "责任书".into(), creator: s.organ.clone(), date: s.date.iso() };
    let template = tmp.join("docxtemplater-letter.docx");
    std::fs::write(&template, prepared.layout.docx(&[doc], &meta).unwrap()).unwrap();
    let kinds = &s.unit_kinds;
    let groups: serde_json::Map<String, serde_json::Value> = kinds
        .iter()
        .map(|(t, kind)| {
            let list: Vec<_> = w
                .duty_groups
                .iter()
                .filter(|g| g.applies(zeren::model::Audience::Unit(t), None))
                .map(|g| serde_json::json!({ "subject": g.subject, "duties": g.duties }))
                .collect();
            (kind.name.clone(), serde_json::Value::from(list))
        })
        .collect();
    let units: Vec<_> = w
        .units
        .iter()
        .map(|u| {
            let signer = w.party_a_signer(u);
            serde_json::json!({
                "name": u.name, "type": kinds.name(u.kind), "leader": u.leader.name, "leader_title": u.leader.title,
                "signer": signer.name, "signed_by_supervisor": !std::ptr::eq(signer, &s.signatory), "duties": u.duties,
            })
        })
        .collect();
    let data = serde_json::json!({
        "common": {
            "title": s.letter.title.clone().unwrap_or_else(|| format!("{}年度党风廉政建设责任书", s.year)),
            "organ": s.organ, "year": s.year, "date": s.date.chinese(),
            "basis": zeren::plan::basis_text(&s.letter.basis),
            "assessment": s.letter.assessment, "accountability": s.letter.accountability,
        },
        "groups": groups,
        "units": units,
    });
    let path = tmp.join("docxtemplater-data.json");
    std::fs::write(&path, serde_json::to_vec(&data).unwrap()).unwrap();
    Docxtemplater { node_modules: node_modules.to_path_buf(), template, data: path }
}

impl Docxtemplater {
    pub fn command(&self, out: &Path) -> Command {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/docxtemplater/render.js");
        let mut c = Command::new("node");
        c.env("NODE_PATH", &self.node_modules).arg(script).arg(&self.template).arg(&self.data).arg(out);
        c
    }
}
