//! Reading one YAML file with serde-saphyr and turning its errors into located Chinese problems.
//! `Spanned` and `Location` stay in this module: the model only sees `Place`.

use crate::diag::{Place, Problem};
use serde::de::DeserializeOwned;
use serde_saphyr::{Error, Location, Spanned};
use std::path::Path;

/// The largest YAML data file we read; a bigger one is refused rather than exhausting memory.
pub const MAX_YAML_BYTES: u64 = 32 * 1024 * 1024;

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
    let bytes = std::fs::read(file).map_err(|e| io_problem(shown, &e))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_col(&e.as_bytes()[..e.utf8_error().valid_up_to()]);
        Problem::error(Place::text(shown, line, column), "file.encoding", "文件不是 UTF-8 编码（请另存为 UTF-8）")
    })?;
    // A UTF-8 BOM (Notepad writes one) is not content.
    Ok(Some(text.strip_prefix('\u{FEFF}').map(str::to_owned).unwrap_or(text)))
}

pub fn parse<T: DeserializeOwned>(text: &str, shown: &Path) -> Result<T, Problem> {
    let options = serde_saphyr::options! { with_snippet: false };
    serde_saphyr::from_str_with_options(text, options).map_err(|e| problem(shown, &e, text))
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
        _ => ("yaml.syntax", format!("YAML 语法错误：{}", syntax_zh(&english(err)))),
    };
    Problem::error(at, code, message)
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

/// The YAML scanner's common messages in Chinese; the rest keep their English text.
fn syntax_zh(msg: &str) -> String {
    const KNOWN: [(&str, &str); 8] = [
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
        None => msg.to_string(),
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
