//! `zeren serve` and the workspace's own Word templates: the page offers them, an upload fills
//! them, a broken one is shown and refused with its fault, a case's needs its 文号 first.

mod common;

use common::word::*;
use common::*;

mod serve_support;

/// `zeren serve` makes the Word templates a workspace lists: the page offers each to tick, a
/// roster uploaded with one ticked comes back with a filled document per unit; a template with
/// a fault is shown on the page with it, and asking for it is refused with it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_fills_the_workspaces_word_templates_for_an_uploaded_roster() {
    use serve_support::{client, config, listen, roster, unit_name, unzip};
    let ws = serve_support::workspace(&[]);
    let root = ws.path();
    docx_with_header(&root.join("承诺.docx"), &p(&format!("{}{}", r("致{{单位"), r("名称}}：{{负责人}}"))), &p(&r("{{发文机关}}")));
    docx_with_header(&root.join("提醒.docx"), &p(&r("致{{单位名城}}")), &p(&r("")));
    list_in_settings(root, "  - file: 承诺.docx\n  - file: 提醒.docx");
    let temp = tempfile::tempdir().unwrap();
    let addr = listen(config(root, temp.path())).await;
    let http = client();
    let page = http.get(format!("http://{addr}/")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(r#"<input type="checkbox" name="word" value="承诺" checked> 承诺（每个单位一份）"#), "{page}");
    assert!(!page.contains(r#"name="word" value="提醒""#), "a broken template cannot be ticked: {page}");
    assert!(page.contains("提醒：") && page.contains("{{单位名城}}") && page.contains("是不是“单位名称”"), "its fault is shown: {page}");

    let post = |fields: &[(&str, &str)]| {
        let mut form = reqwest::multipart::Form::new().part("roster", reqwest::multipart::Part::bytes(roster(3)).file_name("名单.xlsx"));
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        http.post(format!("http://{addr}/build")).header("Accept", "text/html").multipart(form).send()
    };
    // The template alone: one filled .docx per unit of the upload, nothing else.
    let res = post(&[("word", "承诺")]).await.unwrap();
    assert_eq!(res.status(), 200);
    let files = unzip(&res.bytes().await.unwrap());
    let filled: Vec<&String> = files.keys().filter(|f| f.starts_with("承诺/") && f.ends_with(".docx")).collect();
    assert_eq!(filled.len(), 3, "{:?}", files.keys().collect::<Vec<_>>());
    assert!(!files.keys().any(|f| f.starts_with("责任书/")), "only the template was ticked");
    for i in 0..3 {
        let file = filled.iter().find(|f| f.ends_with(&format!("-{}.docx", unit_name(i)))).expect("a document per unit");
        let body = serve_support::docx_text(&files[*file]);
        assert_eq!(body, format!("致{}：负责人{}", unit_name(i), i + 1));
    }
    assert!(String::from_utf8_lossy(&files["manifest.csv"]).contains(",承诺,"), "in the manifest");
    // With a kind ticked too: both.
    let res = post(&[("kind", "责任书"), ("word", "承诺")]).await.unwrap();
    assert_eq!(res.status(), 200);
    let files = unzip(&res.bytes().await.unwrap());
    assert_eq!(files.keys().filter(|f| f.starts_with("责任书/")).count(), 3);
    assert_eq!(files.keys().filter(|f| f.starts_with("承诺/")).count(), 3);
    // The broken one, asked for all the same: its fault on the page, with the paragraph.
    let res = post(&[("word", "提醒")]).await.unwrap();
    assert_eq!(res.status(), 422);
    let said = res.text().await.unwrap();
    assert!(said.contains("{{单位名城}}") && said.contains("是不是“单位名称”") && said.contains("致{{单位名城}}"), "{said}");
    assert!(said.contains("提醒.docx") && !said.contains(&root.display().to_string()), "the template by its name in the workspace: {said}");
    // One the workspace does not list.
    let res = post(&[("word", "不存在")]).await.unwrap();
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("没有叫“不存在”的 Word 模板；可选：承诺、提醒"));
    serve_support::assert_emptied(temp.path());
    // On start, as `zeren check` would: the service does not start with a broken template.
    let o = zeren(&["serve", root.to_str().unwrap(), "--port", "0"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("{{单位名城}}") && stderr(&o).contains("zeren serve 未启动"), "{}", stderr(&o));
}

/// A served workspace of its own Word template and no duty catalogue: the page offers the
/// template (and says nothing is missing), and the template alone is made from the upload.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_makes_a_word_template_of_a_workspace_without_duties() {
    use serve_support::{client, config, listen, roster, unzip};
    let ws = serve_support::workspace(&[]);
    let root = ws.path();
    std::fs::remove_file(root.join("data/duties.yaml")).unwrap();
    let settings = std::fs::read_to_string(root.join("zeren.yaml")).unwrap();
    let settings: String = settings.lines().filter(|l| !l.trim_start().starts_with("duties:")).map(|l| format!("{l}\n")).collect();
    std::fs::write(root.join("zeren.yaml"), settings).unwrap();
    docx_with_header(&root.join("承诺.docx"), &p(&r("{{单位名称}}")), &p(&r("")));
    list_in_settings(root, "  - file: 承诺.docx");
    let temp = tempfile::tempdir().unwrap();
    let addr = listen(config(root, temp.path())).await;
    let http = client();
    let page = http.get(format!("http://{addr}/")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(r#"name="word" value="承诺""#), "{page}");
    assert!(!page.contains("还没有任何文书的数据"), "a Word template is something to make: {page}");
    let form = reqwest::multipart::Form::new()
        .part("roster", reqwest::multipart::Part::bytes(roster(2)).file_name("名单.xlsx"))
        .text("word", "承诺");
    let res = http.post(format!("http://{addr}/build")).multipart(form).send().await.unwrap();
    let status = res.status();
    let bytes = res.bytes().await.unwrap();
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
    let files = unzip(&bytes);
    assert_eq!(files.keys().filter(|f| f.starts_with("承诺/")).count(), 2, "{:?}", files.keys().collect::<Vec<_>>());
}

/// A Word template per case, served: a case with no 文号 yet is refused as for the 决定书 (the
/// web cannot record one), nothing of the workspace changes; with the ledger, it is filled.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_refuses_a_case_template_whose_case_has_no_number_yet() {
    use serve_support::{config, post, roster_rows, send, snapshot, text, unit_row, unzip};
    let ws = serve_support::workspace(&["cases"]);
    let root = ws.path();
    docx_with_header(&root.join("通知.docx"), &p(&r("{{文号}}：{{问责对象}}")), &p(&r("")));
    list_in_settings(root, "  - file: 通知.docx");
    let mut rows: Vec<[String; 7]> = (0..2).map(|i| unit_row(i, "")).collect();
    for (i, (name, kind, leader)) in [("市政府采购中心", "直属单位", "苏望舒"), ("预算处", "处室", "唐奕舟")].iter().enumerate()
    {
        rows.push([
            (i + 3).to_string(),
            name.to_string(),
            kind.to_string(),
            leader.to_string(),
            "负责人".into(),
            String::new(),
            String::new(),
        ]);
    }
    let bytes = roster_rows(&rows);
    let temp = tempfile::tempdir().unwrap();
    let c = config(root, temp.path());
    let before = snapshot(root);
    let (status, _, body) = send(&c, post(&[("roster", Some("名单.xlsx"), &bytes), ("word", None, "通知".as_bytes())], false)).await;
    assert_eq!(status, 422, "{}", text(&body));
    assert!(text(&body).contains("还没有文号") && text(&body).contains("zeren build"), "{}", text(&body));
    assert_eq!(snapshot(root), before, "no ledger written");
    std::fs::copy(samples().join("文号台账.yaml"), root.join("文号台账.yaml")).unwrap();
    let (status, _, body) = send(&c, post(&[("roster", Some("名单.xlsx"), &bytes), ("word", None, "通知".as_bytes())], false)).await;
    assert_eq!(status, 200, "{}", text(&body));
    let files = unzip(&body);
    let filled: Vec<&String> = files.keys().filter(|f| f.starts_with("通知/")).collect();
    assert_eq!(filled.len(), 3, "one per case: {filled:?}");
    assert!(serve_support::docx_text(&files[filled[0]]).contains("〔2026〕"), "the ledger's 文号");
}
