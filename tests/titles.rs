//! 标题回行 (GB/T 9704 7.3.1): a title longer than a line breaks between words into balanced
//! lines (梯形 or 菱形), never one character alone, written as explicit line breaks — in every
//! kind. Read back from the built .docx files.

mod common;

use common::*;

/// The titles a 二号 line of the 版心 holds: 20 characters (22 pt less the 0.25 pt tracking, in
/// 156 mm).
const PER_LINE: usize = 20;

fn long_titles_workspace() -> (tempfile::TempDir, std::path::PathBuf) {
    let (tmp, ws) = sample_copy();
    let edit = |file: &str, from: &str, to: &str| {
        let path = ws.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file}: {from}");
        std::fs::write(&path, text.replace(from, to)).unwrap();
    };
    // 责任书 (zeren.yaml letter.title), 函告书 (tasks.yaml title), 问责决定书 (a long organ name).
    edit(
        "zeren.yaml",
        "letter:                           # 责任书设置\n",
        "letter:\n  title: 江州市财政局机关各处室和直属单位二〇二六年度党风廉政建设和反腐败工作目标责任书\n",
    );
    edit("data/tasks.yaml", "tasks:\n", "title: 关于印发江州市财政局二〇二六年度党风廉政建设主要工作任务和责任分工的函\ntasks:\n");
    edit("data/cases.yaml", "中共江州市政府采购中心支部委员会", "中共江州市财政局政府采购管理中心机关支部委员会");
    (tmp, ws)
}

#[test]
fn long_titles_break_between_words_into_balanced_lines_in_every_kind() {
    let (tmp, ws) = long_titles_workspace();
    let out = tmp.path().join("out");
    let o = zeren(&["build", ws.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let jieba = jieba_rs::Jieba::new();
    let mut broken_kinds = std::collections::BTreeSet::new();
    for file in files_under(&out).into_iter().filter(|f| f.extension().is_some_and(|e| e == "docx")) {
        let doc = Docx::open(&out.join(&file));
        for title in doc.paragraphs().into_iter().filter(|p| p.style.as_deref() == Some("GwTitle")) {
            let lines: Vec<&str> = title.text.split('\n').collect();
            let whole: String = lines.concat();
            let at = format!("{}: {:?}", file.display(), lines);
            let counts: Vec<usize> = lines.iter().map(|l| l.chars().count()).collect();
            if whole.chars().count() <= PER_LINE {
                assert_eq!(lines.len(), 1, "{at}: a title that fits stays on one line");
                continue;
            }
            assert!(lines.len() >= 2 && counts.iter().all(|&n| (2..=PER_LINE).contains(&n)), "{at}: lines of 2–{PER_LINE} characters");
            let trapezoid = counts.windows(2).all(|w| w[0] >= w[1]);
            let top = counts.iter().copied().max().unwrap();
            let diamond = lines.len() >= 3 && counts[0] < top && counts[lines.len() - 1] < top;
            assert!(trapezoid || diamond, "{at}: 梯形 or 菱形");
            assert!(counts.iter().max().unwrap() - counts.iter().min().unwrap() <= 6, "{at}: balanced");
            // Every break falls on a boundary between jieba's words of the whole title.
            let bounds: Vec<usize> = jieba.cut(&whole, true).iter().map(|t| t.end).collect();
            let mut offset = 0;
            for line in &lines[..lines.len() - 1] {
                offset += line.chars().count();
                assert!(bounds.contains(&offset), "{at}: break inside a word at {offset}");
            }
            // The breaks are the document's own: one run per line, a w:br run between.
            let runs = runs(doc.document());
            let at_title = runs.iter().position(|r| r.text == lines[0]).unwrap_or_else(|| panic!("{at}: the first line as one run"));
            for (i, line) in lines.iter().enumerate() {
                assert_eq!(runs[at_title + 2 * i].text, *line, "{at}");
                if i + 1 < lines.len() {
                    assert_eq!(runs[at_title + 2 * i + 1].text, "\n", "{at}: a line break after line {}", i + 1);
                }
            }
            broken_kinds.insert(file.iter().next().unwrap().to_string_lossy().into_owned());
        }
    }
    assert_eq!(broken_kinds.into_iter().collect::<Vec<_>>(), ["函告书", "责任书", "问责决定书"], "long titles in three kinds");
}
