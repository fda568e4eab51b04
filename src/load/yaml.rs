//! Reading one YAML file with serde-saphyr and turning its errors into located Chinese problems.
//! `Spanned` and `Location` stay in this module: the model only sees `Place`.

use super::limits::{MAX_LIST_ITEMS, MAX_RECORDS, MAX_TOTAL_TEXT_CHARS, MAX_YAML_DEPTH, MAX_YAML_NODES, grouped, text_over, wan};
use crate::diag::{Place, Problem};
use serde::de::DeserializeOwned;
use serde_saphyr::granit_parser::{self, Event};
use serde_saphyr::{Budget, Error, Location, Spanned};
use std::collections::HashMap;
use std::path::Path;

/// The largest YAML data file we read; a bigger one is refused rather than exhausting memory.
pub use super::limits::MAX_YAML_BYTES;

/// A YAML file's text; `None` when there is no such file (whether that is a problem is the
/// caller's to say: a data file at its usual place is optional, one zeren.yaml names is not).
pub fn read_text(file: &Path, shown: &Path) -> Result<Option<String>, Problem> {
    let meta = match std::fs::metadata(file) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_problem(shown, &e)),
    };
    if meta.is_dir() {
        return Err(Problem::error(Place::File(shown.into()), "file.is-dir", "应为 YAML 文件，实为文件夹"));
    }
    if meta.len() > MAX_YAML_BYTES {
        return Err(Problem::error(
            Place::File(shown.into()),
            "file.too-large",
            format!("文件过大（{} MB），YAML 数据文件不应超过 {} MB", meta.len() >> 20, MAX_YAML_BYTES >> 20),
        ));
    }
    crate::input::regular(file).map_err(|e| io_problem(shown, &e))?;
    let bytes = std::fs::read(file).map_err(|e| io_problem(shown, &e))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_col(&e.as_bytes()[..e.utf8_error().valid_up_to()]);
        Problem::error(Place::text(shown, line, column), "file.encoding", "文件不是 UTF-8 编码（请另存为 UTF-8）")
    })?;
    // A UTF-8 BOM (Notepad writes one) is not content.
    Ok(Some(text.strip_prefix('\u{FEFF}').map(str::to_owned).unwrap_or(text)))
}

/// Deserializes `text` after checking it against the bounds every input has (texts, lists,
/// values, nesting): a breach is reported in Chinese at its line before anything is built.
pub fn parse<T: DeserializeOwned>(text: &str, shown: &Path) -> Result<T, Problem> {
    check_bounds(text, shown)?;
    // The same bounds again, as saphyr's own budget: a backstop for what the walk above does
    // not see (aliases replayed).
    let mut budget = Budget::default();
    budget.max_nodes = MAX_YAML_NODES;
    budget.max_events = 3 * MAX_YAML_NODES;
    budget.max_depth = MAX_YAML_DEPTH;
    budget.max_documents = 1;
    let options = serde_saphyr::options! { with_snippet: false, budget: Some(budget) };
    serde_saphyr::from_str_with_options(text, options).map_err(|e| problem(shown, &e, text))
}

/// A list or mapping being walked: whether a mapping, its entries so far, the anchor it defines
/// (0 for none), and what it holds as a reader of it would build it (aliases replayed).
struct Open {
    is_map: bool,
    count: usize,
    anchor: usize,
    chars: u64,
    nodes: u64,
}

/// One walk over the YAML events: every text within `MAX_TEXT_CHARS` and `MAX_TEXT_LINES`, a
/// list of records (directly under the top level: units, cases…) within `MAX_RECORDS`, a list
/// inside a record within `MAX_LIST_ITEMS`, the file within `MAX_YAML_NODES` values and
/// `MAX_YAML_DEPTH` levels, its texts within `MAX_TOTAL_TEXT_CHARS` together. An alias counts
/// as what its anchor holds, at each use: a 32 KB text aliased 50,000 times is gigabytes once
/// built. A syntax error is left to the parser proper, which reports it.
fn check_bounds(text: &str, shown: &Path) -> Result<(), Problem> {
    let mut options = granit_parser::Options::default();
    options.emit_comments = false;
    let mut open: Vec<Open> = Vec::new();
    let (mut nodes, mut total) = (0u64, 0u64);
    // Each anchor's (characters, values), by id.
    let mut anchors: HashMap<usize, (u64, u64)> = HashMap::new();
    for item in granit_parser::Parser::new_from_str_with_options(text, options) {
        let Ok((event, span)) = item else { return Ok(()) };
        let at = || Place::text(shown, span.start.line() as u32, span.start.col() as u32 + 1);
        // What this event adds: characters and values, aliases as their anchor holds.
        let (chars, weight) = match &event {
            Event::Scalar(value, ..) => {
                if let Some(why) = text_over(value, "此处的文字") {
                    return Err(Problem::error(at(), "yaml.text-too-long", why));
                }
                (value.chars().count() as u64, 1)
            }
            Event::Alias(id) => anchors.get(id).copied().unwrap_or((0, 1)),
            Event::SequenceStart(..) | Event::MappingStart(..) => (0, 1),
            _ => (0, 0),
        };
        if weight > 0 {
            nodes = nodes.saturating_add(weight);
            if nodes > MAX_YAML_NODES as u64 {
                let message = format!("文件内容过多：超过 {} 个值（上限）；请拆分或精简", grouped(MAX_YAML_NODES));
                return Err(Problem::error(at(), "yaml.too-large", message));
            }
            total = total.saturating_add(chars);
            if total > MAX_TOTAL_TEXT_CHARS {
                let message = format!(
                    "文件中的文字合计超过上限 {}个字符（引用“*名称”每用一次，都按它所指锚点“&名称”的内容计入）；数据文件远没有这么多文字，请检查锚点和引用",
                    wan(MAX_TOTAL_TEXT_CHARS)
                );
                return Err(Problem::error(at(), "yaml.too-large", message));
            }
            let records = open.len() == 2;
            if let Some(o) = open.last_mut() {
                o.count += 1;
                (o.chars, o.nodes) = (o.chars + chars, o.nodes + weight);
                // A mapping's nodes are keys and values: its entries are the keys.
                let entries = if o.is_map { o.count.div_ceil(2) } else { o.count };
                let limit = if records { MAX_RECORDS } else { MAX_LIST_ITEMS };
                if entries > limit && (!o.is_map || o.count % 2 == 1) {
                    let whose = if records { "一个列表" } else { "一条记录内的列表" };
                    let message = format!("列表过长：此处是第 {} 项，{whose}最多 {} 项", grouped(entries), grouped(limit));
                    return Err(Problem::error(at(), "yaml.too-many", message));
                }
            }
        }
        match event {
            Event::Scalar(_, _, anchor, _) if anchor != 0 => {
                anchors.insert(anchor, (chars, 1));
            }
            Event::SequenceStart(_, anchor, _) | Event::MappingStart(_, anchor, _) => {
                let is_map = matches!(event, Event::MappingStart(..));
                open.push(Open { is_map, count: 0, anchor, chars: 0, nodes: 1 });
                if open.len() > MAX_YAML_DEPTH {
                    let message = format!("嵌套过深：列表和键值映射最多嵌套 {MAX_YAML_DEPTH} 层");
                    return Err(Problem::error(at(), "yaml.too-deep", message));
                }
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(done) = open.pop() {
                    if done.anchor != 0 {
                        anchors.insert(done.anchor, (done.chars, done.nodes));
                    }
                    // The container itself was counted in its parent when it started.
                    if let Some(parent) = open.last_mut() {
                        (parent.chars, parent.nodes) = (parent.chars + done.chars, parent.nodes + done.nodes - 1);
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn io_problem(shown: &Path, e: &std::io::Error) -> Problem {
    let msg = match e.kind() {
        std::io::ErrorKind::PermissionDenied => "没有读取权限".to_string(),
        _ => format!("无法读取：{e}"),
    };
    Problem::error(Place::File(shown.into()), "file.unreadable", msg)
}

fn line_col(prefix: &[u8]) -> (u32, u32) {
    let line = prefix.iter().filter(|&&b| b == b'\n').count() + 1;
    let last = prefix.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&prefix[last..]).chars().count() + 1;
    (line as u32, column as u32)
}

/// Converts a saphyr location into our neutral place (falls back to the file alone).
pub fn place(shown: &Path, loc: &Location) -> Place {
    if *loc == Location::UNKNOWN || loc.line() == 0 {
        Place::File(shown.into())
    } else {
        Place::text(shown, loc.line() as u32, loc.column() as u32)
    }
}

pub fn spanned_place<T>(shown: &Path, s: &Spanned<T>) -> Place {
    place(shown, &s.referenced)
}

/// One saphyr error → one Chinese problem at its place.
pub fn problem(shown: &Path, err: &Error, text: &str) -> Problem {
    let mut err = err;
    while let Error::WithSnippet { error, .. } | Error::AliasError { error, .. } = err {
        err = error;
    }
    let at = err.location().map(|l| place(shown, &l)).unwrap_or_else(|| Place::File(shown.into()));
    let (code, message) = match err {
        Error::SerdeUnknownField { field, expected, .. } => {
            ("yaml.unknown-field", format!("未知字段“{field}”；可用字段：{}", expected.join("、")))
        }
        Error::SerdeMissingField { field, .. } => ("yaml.missing-field", format!("缺少必填字段“{field}”")),
        Error::SerdeUnknownVariant { variant, expected, .. } => {
            ("yaml.unknown-value", format!("取值“{variant}”无效；应为：{}", expected.join("、")))
        }
        Error::SerdeInvalidType { unexpected, expected, .. } => {
            ("yaml.wrong-type", format!("类型不对：应为{}，实为{}", type_name(expected), type_name(unexpected)))
        }
        Error::SerdeInvalidValue { unexpected, expected, .. } => {
            ("yaml.wrong-value", format!("取值无效：应为{}，实为{}", type_name(expected), type_name(unexpected)))
        }
        Error::InvalidScalar { ty, location } => {
            let token = token_at(text, location);
            ("yaml.wrong-type", format!("“{token}”不是{}", type_name(ty)))
        }
        Error::DuplicateMappingKey { key, .. } => (
            "yaml.duplicate-key",
            match key {
                Some(k) => format!("重复的键“{k}”（同一层级的键不能重复）"),
                None => "重复的键（同一层级的键不能重复）".to_string(),
            },
        ),
        Error::Unexpected { expected, .. } => {
            let expected = expected.strip_suffix(" start").unwrap_or(expected);
            let expected = expected.strip_suffix(" scalar").unwrap_or(expected);
            ("yaml.wrong-type", format!("此处应为{}（检查缩进、冒号和括号是否成对）", type_name(expected)))
        }
        Error::Eof { .. } => ("yaml.syntax", "YAML 语法错误：文件意外结束".to_string()),
        Error::MultipleDocuments { .. } => ("yaml.syntax", "一个文件只能有一个 YAML 文档（删除多余的 ---）".to_string()),
        other => return other_problem(at, other),
    };
    Problem::error(at, code, message)
}

/// The errors that are not about the data's shape: limits, tags, anchors, and the scanner's
/// syntax errors — in Chinese, with saphyr's English kept only as technical detail.
fn other_problem(at: Place, err: &Error) -> Problem {
    use serde_saphyr::budget::BudgetBreach;
    let (code, message) = match err {
        Error::Budget { breach, .. } => (
            "yaml.too-large",
            match breach {
                BudgetBreach::Depth { .. } => format!("嵌套过深：列表和键值映射最多嵌套 {MAX_YAML_DEPTH} 层"),
                BudgetBreach::Documents { .. } => "一个文件只能有一个 YAML 文档（删除多余的 ---）".to_string(),
                BudgetBreach::Aliases { .. } | BudgetBreach::Anchors { .. } => "锚点（&）或引用（*）过多".to_string(),
                _ => format!("文件内容过多：超过 {} 个值（上限）；请拆分或精简", grouped(MAX_YAML_NODES)),
            },
        ),
        Error::UnsupportedTag { tag, .. } => ("yaml.syntax", format!("不支持的 YAML 标签“{tag}”；请删去以 ! 开头的标签")),
        Error::UnknownAnchor { .. } => ("yaml.syntax", "引用（*名称）找不到对应的锚点（&名称）".to_string()),
        Error::IOError { .. } => ("yaml.syntax", "文件无法按 UTF-8 文本读取".to_string()),
        Error::ExternalMessage { source, .. } => match source.as_ref() {
            serde_saphyr::ExternalMessageSource::Parser(scan) => ("yaml.syntax", format!("YAML 语法错误：{}", scan_zh(scan.kind()))),
            _ => ("yaml.syntax", format!("YAML 语法错误：{}", syntax_zh(&english(err)))),
        },
        _ => ("yaml.syntax", format!("YAML 语法错误：{}", syntax_zh(&english(err)))),
    };
    let problem = Problem::error(at, code, message);
    // Where no translation says what is wrong, saphyr's own words help whoever reads further.
    if problem.message.ends_with(GENERAL_SYNTAX) { problem.with_detail(format!("技术信息：{}", english(err))) } else { problem }
}

const GENERAL_SYNTAX: &str = "此处的写法不符合 YAML 格式（检查缩进、冒号、引号和括号是否成对）";

/// The scanner's errors in Chinese, by kind.
fn scan_zh(kind: &granit_parser::ErrorKind) -> &'static str {
    use granit_parser::ErrorKind as K;
    match kind {
        K::RecursionLimitExceeded => "嵌套过深（列表、键值映射或括号的层数过多）",
        K::TabNotAllowed | K::TabInBlockIndentation | K::TabInIndentation | K::TabAtBlockScalarStart | K::TabInPlainScalar => {
            "YAML 不允许用 Tab 缩进，请改用空格"
        }
        K::UnclosedQuotedScalar => "引号没有闭合",
        K::UnclosedFlowCollection { .. } | K::MismatchedFlowCollectionEnd { .. } | K::MisplacedFlowCollectionEnd => "括号没有成对",
        K::UnexpectedEof
        | K::UnexpectedEofFlowSequence
        | K::UnexpectedEofFlowMapping
        | K::UnexpectedEofImplicitFlowMapping
        | K::UnexpectedEofBlockSequence
        | K::UnexpectedEofBlockMapping => "文件意外结束（有未闭合的括号或引号）",
        K::InvalidIndentation | K::InvalidBlockScalarIndent | K::InvalidFlowScalarIndent | K::InvalidQuotedScalarIndent => "缩进不对",
        K::MappingValueNotAllowed | K::InvalidColonPlacement | K::InvalidMappingValueWhitespace => {
            "此处不能出现“键: 值”（检查缩进，或给含冒号的文字加引号）"
        }
        K::SimpleKeyExpected | K::InvalidSimpleKey | K::ExpectedBlockMappingKey => "缺少键或冒号“:”，或缩进不对",
        K::ExpectedBlockSequenceEntry | K::BlockSequenceEntryNotAllowed | K::BlockEntryInFlowCollection => {
            "此处不能开始列表（检查“-”的缩进）"
        }
        K::UnexpectedCharacter { .. } => "有不能出现在此处的字符",
        K::UnknownAnchor => "引用（*名称）找不到对应的锚点（&名称）",
        K::UnknownQuotedScalarEscape | K::InvalidQuotedScalarHexEscape | K::InvalidUnicodeEscape => "双引号内的转义写法（\\）有误",
        K::BomInsideDocument => "文件中间有字节顺序标记（BOM），请另存为不带 BOM 的 UTF-8",
        _ => GENERAL_SYNTAX,
    }
}

/// The scalar written at `loc` (up to white space, a comment or a flow delimiter).
fn token_at(text: &str, loc: &Location) -> String {
    let line = text.lines().nth((loc.line() as usize).saturating_sub(1)).unwrap_or("");
    let rest: String = line.chars().skip((loc.column() as usize).saturating_sub(1)).collect();
    let token: String = rest.chars().take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ']' | '}' | '#')).collect();
    token.trim_matches(['"', '\'']).to_string()
}

/// saphyr's own text for errors we do not translate, without its location suffix.
fn english(err: &Error) -> String {
    let text = err.to_string();
    let text = text.lines().next().unwrap_or_default().to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// The YAML scanner's common messages in Chinese; the rest get a general one (the English stays
/// in the detail).
fn syntax_zh(msg: &str) -> String {
    const KNOWN: [(&str, &str); 9] = [
        ("recursion limit", "嵌套过深（列表、键值映射或括号的层数过多）"),
        ("mapping values are not allowed", "此处不能出现“键: 值”（检查缩进，或给含冒号的文字加引号）"),
        ("did not find expected key", "缺少键或缩进不对"),
        ("could not find expected ':'", "缺少冒号“:”"),
        ("cannot start any token", "有不能出现在此处的字符（YAML 不允许用 Tab 缩进，请改用空格）"),
        ("tab", "YAML 不允许用 Tab 缩进，请改用空格"),
        ("unexpected end of stream", "文件意外结束（有未闭合的括号或引号）"),
        ("did not find expected", "括号或引号没有闭合"),
        ("block sequence entries are not allowed", "此处不能开始列表（检查“-”的缩进）"),
    ];
    let lower = msg.to_ascii_lowercase();
    match KNOWN.iter().find(|(en, _)| lower.contains(en)) {
        Some((_, zh)) => zh.to_string(),
        None => GENERAL_SYNTAX.to_string(),
    }
}

/// serde's type descriptions in Chinese, for the common ones ("a sequence", "i32", "string \"x\""…).
fn type_name(serde_text: &str) -> String {
    let t = serde_text.trim();
    let bare = t.strip_prefix("a ").or_else(|| t.strip_prefix("an ")).unwrap_or(t);
    let (head, rest) = bare.split_once(' ').unwrap_or((bare, ""));
    let zh = match head {
        "i8" | "i16" | "i32" | "i64" | "integer" => "整数",
        "u8" | "u16" | "u32" | "u64" => "非负整数",
        "f32" | "f64" | "float" => "数字",
        "string" | "str" | "char" => "文字",
        "sequence" | "seq" => "列表（以 - 开头的各行）",
        "map" | "mapping" | "struct" => "键值映射（键: 值）",
        "boolean" | "bool" => "true/false",
        "unit" | "null" => "空值",
        _ => return t.to_string(),
    };
    if rest.is_empty() || rest.starts_with("value") { zh.to_string() } else { format!("{zh} {rest}") }
}
