//! The pages of `zeren serve`: server-rendered HTML in Chinese, one inline style sheet and a few
//! lines of inline script, nothing fetched from elsewhere (the office network may have no
//! internet). Every value from the workspace or the request is escaped here.

use crate::diag::Problem;
use crate::model::Kind;
use crate::site::{Offer, WordOffer};

/// What the form page shows about the workspace; `None` fields are left out.
#[derive(Debug, Default, Clone)]
pub struct Workspace {
    pub organ: Option<String>,
    pub year: Option<i32>,
    /// The kinds the workspace has the data for, and what the others need (`site::offer`).
    /// Empty when it could not be told: every kind is offered, as the request will tell.
    pub offer: Offer,
    /// The Word templates zeren.yaml lists (`site::word_offer`).
    pub word: Vec<WordOffer>,
}

/// Text as HTML (element content and quoted attribute values alike), its hidden characters
/// shown as `visible` shows them.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if hidden(c) => out.push_str(&format!("\\u{{{:X}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Control characters (but newline and tab) and the marks that reverse the direction of text:
/// from a roster cell they could drive a terminal (ESC sequences) or make a message read other
/// than it is. Shown as `\u{1B}`, so the user can find them in the file.
fn hidden(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{61C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Text for a plain-text reply or a log line: hidden characters as `\u{…}`, the rest as is.
pub fn visible(s: &str) -> String {
    if !s.chars().any(hidden) {
        return s.to_string();
    }
    s.chars().map(|c| if hidden(c) { format!("\\u{{{:X}}}", c as u32) } else { c.to_string() }).collect()
}

/// At most this many problems of each sort are listed in a reply; the rest are counted. A
/// roster of 100,000 bad rows gives a page one can read, in bounded time.
pub const SHOWN_PROBLEMS: usize = 200;

/// The problems to list (errors first, then warnings, each cut at `SHOWN_PROBLEMS`) and how many
/// of each were left out.
pub fn shown(problems: &[Problem]) -> Shown<'_> {
    let errors: Vec<&Problem> = problems.iter().filter(|p| p.is_error()).collect();
    let warnings: Vec<&Problem> = problems.iter().filter(|p| !p.is_error()).collect();
    let (errors_total, warnings_total) = (errors.len(), warnings.len());
    Shown {
        errors: errors.into_iter().take(SHOWN_PROBLEMS).collect(),
        warnings: warnings.into_iter().take(SHOWN_PROBLEMS).collect(),
        errors_total,
        warnings_total,
    }
}

pub struct Shown<'a> {
    pub errors: Vec<&'a Problem>,
    pub warnings: Vec<&'a Problem>,
    pub errors_total: usize,
    pub warnings_total: usize,
}

impl Shown<'_> {
    /// “……另有 N 处错误未列出”, when some were.
    pub fn more_errors(&self) -> Option<String> {
        (self.errors_total > self.errors.len()).then(|| format!("……另有 {} 处错误未列出", self.errors_total - self.errors.len()))
    }

    pub fn more_warnings(&self) -> Option<String> {
        (self.warnings_total > self.warnings.len()).then(|| format!("……另有 {} 条提示未列出", self.warnings_total - self.warnings.len()))
    }
}

/// Percent-encoding of everything but RFC 3986's unreserved characters: for query values and
/// `filename*=UTF-8''…`.
pub fn pct(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            b => format!("%{b:02X}"),
        })
        .collect()
}

const STYLE: &str = "
body{font-family:'Microsoft YaHei','PingFang SC','Noto Sans CJK SC',sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.6}
h1{font-size:1.5rem;border-bottom:3px solid #b22;padding-bottom:.4rem}
h2{font-size:1.15rem;margin-top:1.6rem}
fieldset{border:1px solid #ccc;border-radius:6px;margin:1rem 0;padding:.6rem 1rem}
label{display:inline-block;margin:.2rem 1.2rem .2rem 0}
button{font-size:1.05rem;padding:.5rem 1.6rem;background:#b22;color:#fff;border:0;border-radius:6px;cursor:pointer}
button:disabled{background:#999;cursor:wait}
.note{color:#666;font-size:.9rem}
.problems li{margin:.3rem 0;font-family:monospace,'Noto Sans CJK SC';white-space:pre-wrap}
.error{color:#a00}
#status{min-height:1.6em;color:#036}
";

fn shell(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n",
        esc(title)
    )
}

/// `?token=…` for links and the form, when the request for this page presented one.
fn token_query(token: Option<&str>, first: bool) -> String {
    token.map(|t| format!("{}token={}", if first { "?" } else { "&" }, pct(t))).unwrap_or_default()
}

/// The form page. `token` is the one the page was opened with, carried on to the form and links:
/// the form sends it in its URL, so the upload is authorised before its body is read.
/// `progress_id` is the id the service gave this page to follow its builds by.
pub fn index(ws: &Workspace, token: Option<&str>, max_upload_mb: u64, progress_id: &str) -> String {
    let mut b = String::new();
    b.push_str("<h1>党风廉政建设公文生成</h1>\n");
    if let Some(organ) = &ws.organ {
        b.push_str(&format!("<p>发文机关：{}", esc(organ)));
        if let Some(y) = ws.year {
            b.push_str(&format!("　年度：{y}"));
        }
        b.push_str("</p>\n");
    }
    b.push_str(&format!(
        "<h2>第一步：下载空白名单</h2>\n<p><a href=\"/roster-template.xlsx{}\" download=\"名单模板.xlsx\">下载空白名单模板（名单模板.xlsx）</a>，用 Excel 或 WPS 填好各单位的名称、类别、负责人等，保存。</p>\n",
        esc(&token_query(token, true))
    ));
    b.push_str("<h2>第二步：上传名单，生成文书</h2>\n");
    b.push_str(&format!(
        "<form id=\"f\" method=\"post\" action=\"/build{}\" enctype=\"multipart/form-data\">\n",
        esc(&token_query(token, true))
    ));
    b.push_str(&format!("<input type=\"hidden\" name=\"progress\" value=\"{}\">\n", esc(progress_id)));
    b.push_str(&format!(
        "<p><label>名单文件（xlsx、xls 或 ods，不超过 {max_upload_mb} MB）：<br><input type=\"file\" name=\"roster\" accept=\".xlsx,.xlsm,.xls,.ods\" required></label></p>\n"
    ));
    b.push_str(&kinds(&ws.offer, ws.word.iter().any(|w| w.problems.is_empty())));
    b.push_str(&word_templates(&ws.word));
    let year_note = match ws.year {
        Some(y) => format!("不填则为 zeren.yaml 中的 {y} 年度；填了别的年度，文书标题等按所填年度生成。"),
        None => "不填则为 zeren.yaml 中的年度。".to_string(),
    };
    b.push_str(&format!(
        "<p><label>年度：<input type=\"number\" name=\"year\" min=\"1949\" max=\"9999\" placeholder=\"{}\"></label><span class=\"note\">{}</span></p>\n",
        ws.year.map(|y| y.to_string()).unwrap_or_default(),
        esc(&year_note)
    ));
    b.push_str(PDF_CHOICE);
    b.push_str("<p><button type=\"submit\">生成文书</button></p>\n<p id=\"status\" role=\"status\"></p>\n</form>\n");
    b.push_str("<p class=\"note\">生成结果是一个 zip 压缩包：每个单位一份 Word 文书（勾选 PDF 时另有同名 PDF），另附清单（清单.xlsx、manifest.csv）。名单有问题时不生成任何文书，而是在本页列出每个问题所在的工作表和单元格。上传的名单和生成的文书只在生成期间临时保存，下载后即删除。</p>\n");
    b.push_str(&format!("<script>{}</script>", script(token)));
    shell("党风廉政建设公文生成 — zeren", &b)
}

/// The PDF option: each document's PDF beside its Word file, drawn by zeren itself.
const PDF_CHOICE: &str = "<p><label><input type=\"checkbox\" name=\"pdf\" value=\"1\"> 同时生成 PDF</label><span class=\"note\">每份 Word 文书旁另附一份 PDF（由本服务按公文格式直接绘制，字体嵌入，可直接打印或发送）；所用字体写在压缩包的“提示.txt”里。</span></p>\n";

/// The kinds to choose from: those the workspace has the data for, 责任书 ticked (or the first);
/// for the others, in plain words, what the administrator must add — no box to tick.
fn kinds(offer: &Offer, word_templates: bool) -> String {
    let ready: Vec<Kind> = if offer.ready.is_empty() && offer.missing.is_empty() { Kind::ALL.to_vec() } else { offer.ready.clone() };
    let mut b = String::from("<fieldset><legend>文书种类</legend>\n");
    let ticked = if ready.contains(&Kind::ResponsibilityLetter) { Some(Kind::ResponsibilityLetter) } else { ready.first().copied() };
    for kind in &ready {
        let checked = if Some(*kind) == ticked { " checked" } else { "" };
        b.push_str(&format!(
            "<label><input type=\"checkbox\" name=\"kind\" value=\"{}\"{checked}> {}</label>\n",
            kind.english(),
            kind.chinese()
        ));
    }
    if ready.is_empty() && !word_templates {
        b.push_str("<p class=\"error\">本工作区还没有任何文书的数据，暂时不能生成，请联系管理员。</p>\n");
    } else if ready.contains(&Kind::ResponsibilityLetter) {
        b.push_str("<div class=\"note\">不选则生成责任书。</div>\n");
    }
    if !offer.missing.is_empty() {
        b.push_str("<div class=\"note\">以下文书本工作区还没有数据，暂时不能生成；如需生成，请管理员补上数据：<ul class=\"missing\">\n");
        for (kind, what) in &offer.missing {
            b.push_str(&format!("<li>{}：需要在工作区加入{}</li>\n", kind.chinese(), esc(what)));
        }
        b.push_str("</ul></div>\n");
    }
    b.push_str("</fieldset>\n");
    b
}

/// The workspace's own Word templates, to tick like the kinds — ticked, as `zeren build` makes
/// them with the kinds; one with a fault is listed with it, for the administrator, and cannot be
/// ticked.
fn word_templates(word: &[WordOffer]) -> String {
    if word.is_empty() {
        return String::new();
    }
    let mut b = String::from("<fieldset><legend>本单位的 Word 模板</legend>\n");
    let (ready, broken): (Vec<&WordOffer>, Vec<&WordOffer>) = word.iter().partition(|w| w.problems.is_empty());
    for w in &ready {
        b.push_str(&format!(
            "<label><input type=\"checkbox\" name=\"word\" value=\"{}\" checked> {}（每个{}一份）</label>\n",
            esc(&w.name),
            esc(&w.name),
            esc(&w.per)
        ));
    }
    if !ready.is_empty() {
        b.push_str("<div class=\"note\">按管理员放在工作区的 Word 文档逐份填写，版式与原文档相同；只勾选 Word 模板时，只生成 Word 模板的文书。</div>\n");
    }
    if !broken.is_empty() {
        b.push_str("<div class=\"note\">以下 Word 模板有问题，暂时不能生成，请管理员改正：<ul class=\"problems\">\n");
        for w in &broken {
            b.push_str(&format!("<li>{}：{}</li>\n", esc(&w.name), esc(&w.problems.join("\n"))));
        }
        b.push_str("</ul></div>\n");
    }
    b.push_str("</fieldset>\n");
    b
}

/// While a roster builds: the button is disabled and the status line follows `/progress`; when
/// the zip is ready the page is usable again (a download leaves the page where it is).
fn script(token: Option<&str>) -> String {
    let tq = serde_json::to_string(&token_query(token, false)).unwrap_or_else(|_| "\"\"".into());
    format!(
        r#"
(function(){{
var f=document.getElementById('f'),b=f.querySelector('button'),s=document.getElementById('status'),timer=null;
function reset(){{if(timer)clearInterval(timer);timer=null;b.disabled=false;b.textContent='生成文书';}}
window.addEventListener('pageshow',function(){{reset();s.textContent='';}});
f.addEventListener('submit',function(){{
  var id=encodeURIComponent(f.elements['progress'].value);
  b.disabled=true;b.textContent='正在生成……';s.textContent='正在上传名单……';
  timer=setInterval(function(){{
    fetch('/progress?id='+id+{tq},{{cache:'no-store'}}).then(function(r){{return r.ok?r.json():null;}}).then(function(p){{
      if(!p)return;
      if(p.state==='queued')s.textContent='排队等候（同时生成的人较多）……';
      else if(p.state==='running')s.textContent='正在生成：'+p.done+' / '+p.total+' 份';
      else if(p.state==='done'){{reset();s.textContent='已生成 '+p.total+' 份文书，压缩包已开始下载。';}}
      else if(p.state==='failed')reset();
    }}).catch(function(){{}});
  }},700);
}});
}})();
"#
    )
}

/// The problems that stopped a build, as the CLI prints them, errors first.
pub fn problems(problems: &[Problem], token: Option<&str>) -> String {
    let shown = shown(problems);
    let mut b = String::from("<h1>有问题，未生成任何文书</h1>\n");
    b.push_str(&format!("<p class=\"error\">共 {} 处错误，请改正后重新上传：</p>\n<ol class=\"problems\">\n", shown.errors_total));
    for p in &shown.errors {
        b.push_str(&format!("<li>{}</li>\n", esc(&p.to_string())));
    }
    b.push_str("</ol>\n");
    if let Some(more) = shown.more_errors() {
        b.push_str(&format!("<p class=\"error\">{}</p>\n", esc(&more)));
    }
    if !shown.warnings.is_empty() {
        b.push_str("<h2>提示</h2>\n<ul class=\"problems\">\n");
        for p in &shown.warnings {
            b.push_str(&format!("<li>{}</li>\n", esc(&p.to_string())));
        }
        b.push_str("</ul>\n");
        if let Some(more) = shown.more_warnings() {
            b.push_str(&format!("<p class=\"note\">{}</p>\n", esc(&more)));
        }
    }
    b.push_str(&back(token));
    shell("有问题，未生成文书 — zeren", &b)
}

/// A page with one message: over the size limit, busy, timed out, token missing…
pub fn message(title: &str, text: &str, token: Option<&str>) -> String {
    let b = format!("<h1>{}</h1>\n<p class=\"error\">{}</p>\n{}", esc(title), esc(text), back(token));
    shell(&format!("{title} — zeren"), &b)
}

/// The 401 page: a field to type the token the administrator handed out.
pub fn token_form(text: &str) -> String {
    let b = format!(
        "<h1>需要访问令牌</h1>\n<p class=\"error\">{}</p>\n<form method=\"get\" action=\"/\"><p><label>访问令牌：<input type=\"password\" name=\"token\" autocomplete=\"off\" required></label> <button type=\"submit\">进入</button></p></form>\n",
        esc(text)
    );
    shell("需要访问令牌 — zeren", &b)
}

fn back(token: Option<&str>) -> String {
    format!("<p><a href=\"/{}\">返回，重新上传</a></p>\n", esc(&token_query(token, true)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Place;

    #[test]
    fn values_are_escaped_everywhere() {
        let ws = Workspace { organ: Some("<script>&\"".into()), year: Some(2026), ..Workspace::default() };
        let html = index(&ws, Some("a\"b<c"), 20, "0123abcd");
        assert!(!html.contains("<script>&"));
        assert!(html.contains("&lt;script&gt;&amp;&quot;"));
        assert!(html.contains("action=\"/build?token=a%22b%3Cc\""), "the form's URL");
        assert!(!html.contains("name=\"token\""), "no token field: the URL carries it");
        assert!(html.contains("/roster-template.xlsx?token=a%22b%3Cc"), "the template link");
        let p = Problem::error(Place::File("<b>.xlsx".into()), "x", "<i>");
        assert!(problems(&[p], None).contains("&lt;b&gt;.xlsx: &lt;i&gt;"));
    }

    #[test]
    fn word_templates_are_offered_ticked_and_a_broken_one_with_its_fault() {
        let word = vec![
            WordOffer { name: "承诺\"<b>".into(), per: "单位".into(), problems: Vec::new() },
            WordOffer { name: "提醒".into(), per: String::new(), problems: vec!["提醒.docx: {{单位名城}}：<没有>".into()] },
        ];
        let html = index(&Workspace { word, ..Workspace::default() }, None, 20, "0123abcd");
        assert!(html.contains("name=\"word\" value=\"承诺&quot;&lt;b&gt;\" checked> 承诺&quot;&lt;b&gt;（每个单位一份）"), "{html}");
        assert_eq!(html.matches("name=\"word\"").count(), 1, "{html}");
        assert!(html.contains("<li>提醒：提醒.docx: {{单位名城}}：&lt;没有&gt;</li>"), "{html}");
    }

    #[test]
    fn percent_encoding_keeps_only_unreserved_characters() {
        assert_eq!(pct("责任书 a-b.zip"), "%E8%B4%A3%E4%BB%BB%E4%B9%A6%20a-b.zip");
    }

    #[test]
    fn the_form_defaults_to_the_responsibility_letter() {
        let html = index(&Workspace::default(), None, 20, "0123abcd");
        assert!(html.contains("value=\"responsibility-letter\" checked"));
        assert_eq!(html.matches(" checked").count(), 1);
        assert!(html.contains("enctype=\"multipart/form-data\""));
        assert!(html.contains("name=\"progress\" value=\"0123abcd\""), "the service's own progress id");
        assert!(html.contains("action=\"/build\""), "no token in the form's URL without one");
        assert!(!html.contains("http://") && !html.contains("https://"), "no external assets");
    }

    #[test]
    fn only_kinds_with_data_can_be_ticked_and_the_others_say_what_they_need() {
        let offer = Offer {
            ready: vec![Kind::TaskNotice],
            missing: vec![(Kind::ResponsibilityLetter, crate::site::what_to_add(Kind::ResponsibilityLetter))],
        };
        let html = index(&Workspace { offer, ..Workspace::default() }, None, 20, "0123abcd");
        assert_eq!(html.matches("name=\"kind\"").count(), 1, "{html}");
        assert!(html.contains("value=\"task-notice\" checked"), "the one kind there is, ticked");
        assert!(html.contains("<li>责任书：需要在工作区加入责任清单 data/duties.yaml</li>"), "{html}");
        assert!(!html.contains("不选则生成责任书"), "not said when 责任书 cannot be made");
    }

    #[test]
    fn hidden_characters_are_shown_not_obeyed() {
        let p = Problem::error(Place::File("a\u{1b}[31mb.xlsx".into()), "x", "单位\u{202E}txt.exe\u{9b}2J\n    第二行\tx");
        let page = problems(std::slice::from_ref(&p), None);
        assert!(!page.contains('\u{1b}') && !page.contains('\u{202E}') && !page.contains('\u{9b}'), "{page}");
        assert!(page.contains("a\\u{1B}[31mb.xlsx: 单位\\u{202E}txt.exe\\u{9B}2J\n    第二行\tx"), "{page}");
        assert_eq!(visible(&p.to_string()), "a\\u{1B}[31mb.xlsx: 单位\\u{202E}txt.exe\\u{9B}2J\n    第二行\tx");
        assert_eq!(visible("普通的文字"), "普通的文字");
    }

    #[test]
    fn a_long_problem_list_is_cut_and_counted() {
        let many: Vec<Problem> = (0..100_000).map(|i| Problem::error(Place::Nowhere, "x", format!("第 {i} 行有误"))).collect();
        let page = problems(&many, None);
        assert_eq!(page.matches("<li>").count(), SHOWN_PROBLEMS);
        assert!(page.contains("共 100000 处错误") && page.contains("……另有 99800 处错误未列出"), "{}", &page[..500]);
        assert!(page.len() < 64 * 1024);
    }
}
