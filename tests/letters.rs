//! 责任书 in the tiers offices sign them: the committee with each 班子成员 (一岗双责, the units of
//! the portfolio by name), with each unit, and each unit's head with its deputies; who seals and
//! who signs on each side; the wording by unit type; and the warnings about copied letters.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use zeren::load::LoadOptions;
use zeren::markup::{Block, Party, plain_text};
use zeren::plan::Selection;
use zeren::site::{Access, Site};

fn build(ws: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["build", ws.to_str().unwrap(), "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    zeren(&args)
}

fn letters(out: &Path) -> Vec<PathBuf> {
    files_under(&out.join("责任书"))
}

fn text_of(out: &Path, file: &str) -> String {
    Docx::open(&out.join("责任书").join(file)).text()
}

#[test]
fn each_committee_member_signs_a_letter_naming_the_units_in_his_or_her_charge() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = build(&samples(), &out, &["--kind", "责任书"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (ws, _) = zeren::load::load(&samples()).unwrap();
    let files = letters(&out);
    // The tier comes first in the print order, one letter per member zeren.yaml lists.
    assert_eq!(ws.settings.members.len(), 4);
    for (i, member) in ws.settings.members.iter().enumerate() {
        let name = format!("{:02}-班子成员-{}.docx", i + 1, member.name);
        assert_eq!(files[i], Path::new(&name));
        let text = text_of(&out, &name);
        assert!(text.contains("甲方：中共江州市财政局委员会"), "{name}");
        assert!(text.contains(&format!("乙方：{}　{}", member.title, member.name)), "{name}: 乙方 in person");
        let portfolio: Vec<&str> =
            ws.units.iter().filter(|u| u.supervisor.as_ref().is_some_and(|s| s.name == member.name)).map(|u| u.name.as_str()).collect();
        assert!(!portfolio.is_empty());
        assert!(text.contains(&format!("乙方{}，分管单位为{}。", member.portfolio, portfolio.join("、"))), "{name}: portfolio\n{text}");
        assert!(text.contains("对分管范围内的党风廉政建设负重要领导责任"), "{name}: 一岗双责");
        assert!(text.contains("每年至少听取一次分管单位党风廉政建设情况汇报"), "{name}: the 班子成员 group");
        assert!(!text.contains("支部委员会"), "{name}: no unit's duties");
        // Signed by the 书记 for the committee.
        assert!(name_under(&text, "书记（签字）：", "沈嘉木"), "{name}: 甲方 signer\n{text}");
    }
    assert!(text_of(&out, "01-班子成员-魏书衡.docx").contains("分管单位为预算处、国库处、市会计核算中心"));
}

/// The signing line holding `label` is followed by a line with the printed name under its blank.
fn name_under(text: &str, label: &str, name: &str) -> bool {
    let lines: Vec<&str> = text.lines().collect();
    lines.windows(2).any(|w| w[0].contains(label) && w[1].trim() == format!("（{name}）"))
}

#[test]
fn each_unit_head_signs_with_each_deputy_after_the_units() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = build(&samples(), &out, &["--kind", "责任书", "--tier", "副职"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let expected = [
        "18-预算处-冯立新.docx",
        "19-市财政投资评审中心-范一鸣.docx",
        "20-市财政投资评审中心-柳晴.docx",
        "21-市会计核算中心-卞晓东.docx",
        "22-市会计核算中心-蒋雯.docx",
        "23-市政府采购中心-吕振邦.docx",
        "24-市政府采购中心-易兰.docx",
        "25-市政府采购中心-姚启帆.docx",
    ];
    assert_eq!(letters(&out), expected.map(PathBuf::from), "the deputies' tier alone, numbered as in the full run");
    let text = text_of(&out, "23-市政府采购中心-吕振邦.docx");
    assert!(text.contains("甲方：市政府采购中心") && text.contains("乙方：副主任　吕振邦"), "{text}");
    assert!(text.contains("乙方在市政府采购中心分管集中采购项目执行和采购方式变更审核。"), "the portfolio:\n{text}");
    assert!(name_under(&text, "主要负责人（签字）：", "苏望舒"), "the unit's head signs for 甲方:\n{text}");
    assert!(text.contains("对分管科室和岗位的党风廉政建设负重要领导责任"), "the 副职 group");
    assert!(!text.contains("每年至少听取一次分管单位"), "not the committee members' group");
    // A unit head is not the 党组织 that decides 问责: the letter promises to report, not to hold to account.
    assert!(
        text.contains("甲方及时向中共江州市财政局委员会报告，由中共江州市财政局委员会依照《中国共产党问责条例》等规定追究乙方责任。"),
        "{text}"
    );
    assert!(!text.contains("甲方依照《中国共产党问责条例》"), "{text}");
    // The committee with a 班子成员: the committee decides.
    let o = build(&samples(), &tmp.path().join("members"), &["--kind", "责任书", "--tier", "班子成员"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let member = text_of(&tmp.path().join("members"), "01-班子成员-魏书衡.docx");
    assert!(member.contains("甲方依照《中国共产党问责条例》等规定追究乙方责任。"), "{member}");
}

/// Every 责任书 of the samples as parsed markup, by recipient and file stem.
fn documents(ws: &Path) -> Vec<(String, Vec<Party>)> {
    let (site, problems) = Site::open(ws, &LoadOptions::default(), Access::ReadOnly);
    let site = site.unwrap_or_else(|| panic!("{problems:?}"));
    let jobs = site.plan(&Selection { kinds: vec![zeren::model::Kind::ResponsibilityLetter], ..Default::default() }).unwrap();
    jobs.iter()
        .map(|job| {
            let doc = site.document(job).unwrap();
            let parties = doc.blocks.iter().find_map(|b| if let Block::Parties(p) = b { Some(p.clone()) } else { None }).unwrap();
            (job.file_stem.clone(), parties)
        })
        .collect()
}

#[test]
fn a_seal_only_for_a_party_that_has_one_and_a_signature_for_each_signer() {
    let docs = documents(&samples());
    let find = |stem: &str| &docs.iter().find(|(s, _)| s == stem).unwrap_or_else(|| panic!("{stem}")).1;
    let side = |p: &Party| {
        let sealed = p.seal.contains("（盖章）");
        let sign = &p.signs[0];
        (p.label.clone(), plain_text(&p.organ), sealed, sign.label.trim_end_matches('：').to_string(), plain_text(&sign.name))
    };
    // The committee seals; its 书记 signs. A member signs in person, with no seal: the name is
    // the party's line already, nothing is printed under the blank.
    let member = find("班子成员-顾晓岚");
    assert_eq!(side(&member[0]), ("甲方".into(), "中共江州市财政局委员会".into(), true, "书记（签字）".into(), "沈嘉木".into()));
    assert_eq!(side(&member[1]), ("乙方".into(), "顾晓岚".into(), false, "本人（签字）".into(), String::new()));
    // A 处室 has no seal: its head signs. Under tiered signing the 分管领导 signs for the
    // committee, whose seal stays the committee's.
    let office = find("预算处");
    assert_eq!(side(&office[0]), ("甲方".into(), "中共江州市财政局委员会".into(), true, "分管领导（签字）".into(), "魏书衡".into()));
    assert_eq!(side(&office[1]), ("乙方".into(), "预算处".into(), false, "负责人（签字）".into(), "唐奕舟".into()));
    // No 分管领导: the 书记 signs.
    assert_eq!(side(&find("办公室")[0]).3, "书记（签字）");
    // A 党支部 and a 直属单位 seal (zeren.yaml `seals`), signed by 支部书记 / 主要负责人.
    assert_eq!(
        side(&find("机关第二党支部")[1]),
        ("乙方".into(), "机关第二党支部".into(), true, "支部书记（签字）".into(), "汪承泽".into())
    );
    assert_eq!(side(&find("市会计核算中心")[1]).2, true);
    assert_eq!(side(&find("市会计核算中心")[1]).3, "主要负责人（签字）");
    // A unit with its deputy: the unit seals, its head signs; the deputy signs in person.
    let deputy = find("市会计核算中心-蒋雯");
    assert_eq!(side(&deputy[0]), ("甲方".into(), "市会计核算中心".into(), true, "主要负责人（签字）".into(), "严思齐".into()));
    assert_eq!(side(&deputy[1]), ("乙方".into(), "蒋雯".into(), false, "本人（签字）".into(), String::new()));
}

#[test]
fn seals_follow_the_workspace_setting_per_unit_type() {
    let (_tmp, ws) = sample_copy();
    let settings = std::fs::read_to_string(ws.join("zeren.yaml")).unwrap();
    std::fs::write(ws.join("zeren.yaml"), settings.replace("  党支部: true\n", "  党支部: false\n")).unwrap();
    let docs = documents(&ws);
    let branch = &docs.iter().find(|(s, _)| s == "机关第一党支部").unwrap().1;
    assert!(!branch[1].seal.contains("（盖章）"), "this workspace's 党支部 have no seal");
    assert!(docs.iter().find(|(s, _)| s == "市政府采购中心").unwrap().1[1].seal.contains("（盖章）"), "its 直属单位 still do");
    // A key that is not a unit type is refused where it is written.
    std::fs::write(ws.join("zeren.yaml"), settings.replace("  党支部: true\n", "  科室: true\n")).unwrap();
    let o = zeren(&["check", ws.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("settings.seal") && stdout(&o).contains("“科室”不是单位类别"), "{}", stdout(&o));
}

#[test]
fn the_wording_reads_right_for_each_unit_type() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = build(&samples(), &out, &["--kind", "责任书", "--tier", "单位"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let office = text_of(&out, "06-预算处.docx");
    // A 处室 is not a 党组织: no 主体责任, no 直接责任; its head's 一岗双责.
    assert!(
        office.contains("乙方在甲方领导下落实全面从严治党各项要求，处长唐奕舟同志按照“一岗双责”要求，对本处室党风廉政建设负领导责任。"),
        "{office}"
    );
    assert!(!office.contains("履行全面从严治党主体责任") && !office.contains("直接责任") && !office.contains("第一责任人"), "{office}");
    assert!(office.contains("年初制定本处室党风廉政建设工作措施") && office.contains("（六）本处室重点责任"), "{office}");
    let branch = text_of(&out, "12-机关第二党支部.docx");
    assert!(branch.contains("乙方支部委员会履行本支部全面从严治党主体责任，支部书记汪承泽同志为第一责任人"), "{branch}");
    assert!(branch.contains("主动通报本支部党风廉政建设情况") && branch.contains("本支部重点责任"), "{branch}");
    assert!(!branch.contains("直接责任"), "a 党支部 carries 主体责任, not 直接责任 over and over:\n{branch}");
    assert!(branch.contains("导致本支部发生严重问题"), "zeren.yaml's clause filled in for the branch");
    let affiliate = text_of(&out, "17-市政府采购中心.docx");
    assert!(affiliate.contains("乙方领导班子对本单位党风廉政建设负主体责任，主任苏望舒同志为第一责任人"), "{affiliate}");
    for file in letters(&out) {
        let text = text_of(&out, &file.to_string_lossy());
        for wrong in ["本直属单位", "本党支部", "{本单位}", "本处室党支部"] {
            assert!(!text.contains(wrong), "{}: {wrong}", file.display());
        }
    }
}

#[test]
fn the_retirees_branch_leaves_out_the_groups_that_exclude_it() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = build(&samples(), &out, &["--kind", "责任书", "--type", "党支部"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (ws, _) = zeren::load::load(&samples()).unwrap();
    let excluded: Vec<&zeren::model::DutyGroup> = ws.duty_groups.iter().filter(|g| g.exclude.iter().any(|t| t == "离退休")).collect();
    assert!(!excluded.is_empty());
    let retirees = text_of(&out, "14-机关第四党支部（离退休干部）.docx");
    let serving = text_of(&out, "12-机关第二党支部.docx");
    for g in excluded {
        assert!(!retirees.contains(&g.subject) && serving.contains(&g.subject), "{}", g.subject);
        for d in &g.duties {
            assert!(!retirees.contains(d.as_str()) && serving.contains(d.as_str()), "{d}");
        }
    }
    for words in ["同谋划", "精简文件会议"] {
        assert!(!retirees.contains(words), "the retirees' branch is not told to {words}:\n{retirees}");
    }
    assert!(retirees.contains("加强离退休党员教育管理"), "its own duty");
}

#[test]
fn check_warns_of_letters_with_no_duty_of_their_own_and_of_letters_that_differ_only_in_names() {
    let (_tmp, ws) = sample_copy();
    assert_eq!(warnings(&ws), Vec::<(String, u64, String)>::new(), "the samples are clean");
    let path = ws.join("data/units.yaml");
    let units = std::fs::read_to_string(&path).unwrap();
    let line_of = |text: &str, name: &str| text.lines().position(|l| l.contains(&format!("name: {name}"))).unwrap() as u64 + 1;
    // Two 党支部 without duties of their own: one warning names both, at the first.
    let first_duty =
        "    duties:\n      - 围绕办公室、人事教育处公务接待、选人用人等重点工作，每半年开展一次岗位廉政风险提醒，督促党员严守工作纪律。\n";
    let third_duty = "    duties:\n      - 针对政府采购管理岗位特点，组织党员学习政府采购领域违纪违法典型案例，督促党员不与供应商、代理机构不正当交往。\n";
    assert!(units.contains(first_duty) && units.contains(third_duty));
    let bare = units.replace(first_duty, "").replace(third_duty, "");
    std::fs::write(&path, &bare).unwrap();
    let found = warnings(&ws);
    let codes: Vec<(&str, u64)> = found.iter().map(|(c, l, _)| (c.as_str(), *l)).collect();
    // The warning is about both units: it names the file, not the first unit's line.
    assert_eq!(codes, [("letter.no-own-duty", 0)]);
    assert!(found[0].2.contains("“机关第一党支部”、“机关第三党支部” 的责任书没有本单位自己的责任"), "{}", found[0].2);
    // Own duties copied from another unit of the kind: the letters differ only in names.
    let copied = units.replace(third_duty, first_duty);
    std::fs::write(&path, &copied).unwrap();
    let found = warnings(&ws);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].0.as_str(), found[0].1), ("letter.same-content", line_of(&copied, "机关第三党支部")));
    assert!(found[0].2.contains("“机关第一党支部”、“机关第三党支部” 的责任书只有名称不同"), "{}", found[0].2);
    // Warnings do not stop a build.
    let o = zeren(&["check", ws.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn many_supervisors_outside_the_committee_are_one_warning() {
    let (_tmp, ws) = sample_copy();
    let path = ws.join("data/units.yaml");
    let mut units = std::fs::read_to_string(&path).unwrap();
    // Ten 处室 whose 分管领导 are ten names the committee does not list.
    for i in 1..=10 {
        units.push_str(&format!(
            "\n  - name: 新增第{i}处\n    type: 处室\n    leader: {{ name: 处长{i}, title: 处长 }}\n    \
             supervisor: {{ name: 外来领导{i}, title: 副局长 }}\n    duties: [负责第{i}处廉政风险防控。]\n"
        ));
    }
    std::fs::write(&path, &units).unwrap();
    let found: Vec<_> = warnings(&ws).into_iter().filter(|(c, _, _)| c == "letter.supervisor-not-member").collect();
    assert_eq!(found.len(), 1, "one line for ten names: {found:?}");
    assert!(found[0].2.contains("“外来领导1”、“外来领导2”") && found[0].2.contains("等 10 人"), "{}", found[0].2);
    assert!(found[0].2.contains("他们分管的 10 个单位"), "{}", found[0].2);
}

/// The warnings `check` gives: (code, line, message).
fn warnings(ws: &Path) -> Vec<(String, u64, String)> {
    let o = zeren(&["check", ws.to_str().unwrap(), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["severity"] == "warning")
        .map(|p| (p["code"].as_str().unwrap().to_string(), p["line"].as_u64().unwrap_or(0), p["message"].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn a_supervisor_outside_the_listed_committee_and_an_unused_exclude_tag_are_warned_of() {
    let (_tmp, ws) = sample_copy();
    let settings = std::fs::read_to_string(ws.join("zeren.yaml")).unwrap();
    std::fs::write(
        ws.join("zeren.yaml"),
        settings.replace("  - { name: 顾晓岚, title: 党委委员、副局长, portfolio: 分管政府采购工作 }\n", ""),
    )
    .unwrap();
    let duties = std::fs::read_to_string(ws.join("data/duties.yaml")).unwrap();
    std::fs::write(ws.join("data/duties.yaml"), duties.replace("exclude: [离退休]", "exclude: [离退体]")).unwrap();
    let found = warnings(&ws);
    // One warning for the name, at its first unit, naming both units.
    let outside: Vec<&(String, u64, String)> = found.iter().filter(|(c, _, _)| c == "letter.supervisor-not-member").collect();
    assert_eq!(outside.len(), 1, "{found:?}");
    assert!(outside[0].2.contains("“政府采购管理处”、“市政府采购中心” 的分管领导“顾晓岚”"), "{found:?}");
    assert!(outside[0].1 > 0, "located at the first unit");
    assert!(found.iter().any(|(c, _, m)| c == "group.exclude-unused" && m.contains("“离退体”")), "{found:?}");
}

#[test]
fn one_tier_is_built_with_its_numbers_from_the_full_run() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("members");
    // --tier alone builds 责任书 only.
    let o = build(&samples(), &out, &["--tier", "班子成员"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(files_under(&out).iter().filter(|f| f.extension().is_some_and(|e| e == "docx")).count(), 4, "{:?}", files_under(&out));
    assert_eq!(letters(&out)[3], PathBuf::from("04-班子成员-许文澜.docx"));
    // A member by name; a unit with its deputies.
    let out = tmp.path().join("one");
    let o = build(&samples(), &out, &["--kind", "责任书", "--unit", "罗明澈", "--unit", "市财政投资评审中心"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let expected =
        ["03-班子成员-罗明澈.docx", "15-市财政投资评审中心.docx", "19-市财政投资评审中心-范一鸣.docx", "20-市财政投资评审中心-柳晴.docx"];
    assert_eq!(letters(&out), expected.map(PathBuf::from));
    // --type names unit types: a member has none.
    let out = tmp.path().join("typed");
    let o = build(&samples(), &out, &["--kind", "责任书", "--type", "直属单位", "--tier", "班子成员", "--tier", "单位"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(letters(&out), ["15-市财政投资评审中心.docx", "16-市会计核算中心.docx", "17-市政府采购中心.docx"].map(PathBuf::from));
    let o = zeren(&["build", samples().to_str().unwrap(), "--dry-run", "--tier", "处长"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("未知的责任书层级“处长”"), "{}", stderr(&o));
}

#[test]
fn the_tiers_a_workspace_signs_are_its_own_choice() {
    let (_tmp, ws) = sample_copy();
    let settings = std::fs::read_to_string(ws.join("zeren.yaml")).unwrap();
    std::fs::write(ws.join("zeren.yaml"), settings.replace("tiers: [班子成员, 单位, 副职]", "tiers: [单位]")).unwrap();
    let out = ws.join("out");
    let o = build(&ws, &out, &["--kind", "责任书"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let files = letters(&out);
    assert_eq!(files.len(), 13);
    assert_eq!(files[0], PathBuf::from("01-办公室.docx"), "only the units' letters, numbered among themselves");
}

#[test]
fn a_committee_member_is_listed_once_and_is_not_the_secretary() {
    let (_tmp, ws) = sample_copy();
    let settings = std::fs::read_to_string(ws.join("zeren.yaml")).unwrap();
    let twice = settings.replace(
        "  - { name: 许文澜, title: 党委委员、机关党委书记, portfolio: 分管机关党建和纪检工作 }\n",
        "  - { name: 许文澜, title: 党委委员、机关党委书记, portfolio: 分管机关党建和纪检工作 }\n  - { name: 许文澜, title: 党委委员 }\n  - { name: 沈嘉木, title: 党委书记 }\n",
    );
    std::fs::write(ws.join("zeren.yaml"), &twice).unwrap();
    let o = zeren(&["build", ws.to_str().unwrap(), "--dry-run", "--kind", "责任书"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    let line = |name: &str, title: &str| twice.lines().position(|l| l.contains(&format!("name: {name}, title: {title} }}"))).unwrap() + 1;
    assert!(
        err.contains(&format!("zeren.yaml:{}:", line("许文澜", "党委委员"))) && err.contains("党委班子成员(members)“许文澜”重复"),
        "{err}"
    );
    assert!(
        err.contains(&format!("zeren.yaml:{}:", line("沈嘉木", "党委书记"))) && err.contains("“沈嘉木”是甲方签字人（书记）本人"),
        "{err}"
    );
}
