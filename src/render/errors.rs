//! Tera's errors as located problems in Chinese.
//!
//! Tera says *which* error it is through `ErrorKind` and *where* through the `ReportError` of a
//! syntax, rendering or limit error; those are matched as types. Two things Tera gives only as
//! English text, and are read from the text here:
//! - the message inside a syntax or rendering report (an undefined variable or field, a value
//!   that cannot be looped over, a filter's argument of the wrong type…), translated by
//!   `message_zh`;
//! - the references checked when templates are added (an unknown filter, function, test,
//!   component or included template): Tera joins their reports into one `ErrorKind::Msg`, so
//!   the place comes from its `--> name:line:col` line.

use super::Templates;
use super::limits::{MAX_MEMORY, MAX_NESTING, MAX_STEPS, MAX_TIME};
use crate::diag::Problem;
use tera::{ErrorKind, Limit, ReportError};

/// Which step met the error: it names the problem's code and its first words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stage {
    Compile,
    Render,
}

impl Stage {
    fn code(self) -> &'static str {
        match self {
            Stage::Compile => "template.syntax",
            Stage::Render => "template.render",
        }
    }
}

impl Templates {
    /// The problem for a Tera error met while compiling or rendering template `name`.
    pub(super) fn tera_problem(&self, name: &str, e: &tera::Error, stage: Stage) -> Problem {
        let whole_file = |template: &str, message: String| Problem::error(self.place(template), stage.code(), message);
        match e.kind() {
            ErrorKind::SyntaxError(report) => {
                self.reported(name, report, stage.code(), format!("模板语法错误：{}", message_zh(report.message())))
            }
            ErrorKind::RenderingError(report) => {
                self.reported(name, report, stage.code(), format!("模板渲染错误：{}", message_zh(report.message())))
            }
            ErrorKind::LimitExceeded { limit, report } => self.reported(name, report, "template.limit", limit_zh(limit)),
            ErrorKind::CircularExtend { tpl, inheritance_chain } => {
                whole_file(tpl, format!("模板继承（extends）成环：{}", chain(inheritance_chain, tpl)))
            }
            ErrorKind::CircularInclude { tpl, include_chain } => {
                whole_file(tpl, format!("模板相互包含（include）成环：{}", chain(include_chain, tpl)))
            }
            ErrorKind::MissingParent { current, parent } => whole_file(current, format!("模板继承的 {parent} 不存在")),
            ErrorKind::TemplateNotFound(missing) => whole_file(name, format!("找不到模板 {missing}")),
            ErrorKind::ComponentNotFound(missing) => whole_file(name, format!("找不到组件 {missing}")),
            ErrorKind::InvalidArgument { expected_type, actual_type } => {
                whole_file(name, format!("模板错误：值的类型应为 {expected_type}，实为 {actual_type}"))
            }
            ErrorKind::MissingArgument { arg_name } => whole_file(name, format!("模板错误：缺少参数 {arg_name}")),
            ErrorKind::OutOfRangeArgument { value, target_type } => {
                whole_file(name, format!("模板错误：参数 {value} 超出 {target_type} 的范围"))
            }
            ErrorKind::Io(kind) => whole_file(name, format!("模板输出写入失败（{kind}）")),
            ErrorKind::Utf8Conversion => whole_file(name, "模板输出不是有效的 UTF-8".into()),
            ErrorKind::Msg(text) => self.from_report_text(name, text, stage),
            // ErrorKind is non-exhaustive: a kind added in a later Tera shows its own text.
            _ => self.from_report_text(name, &e.to_string(), stage),
        }
    }

    /// A problem at a report's place, with the template's line as detail.
    fn reported(&self, name: &str, report: &ReportError, code: &'static str, message: String) -> Problem {
        let file = if report.filename().is_empty() { name } else { report.filename() };
        let span = report.span();
        if span.start_line == 0 {
            // No place known (a limit reached outside any template text).
            return Problem::error(self.place(file), code, message);
        }
        let line = span.start_line as u32;
        let problem = Problem::error(self.place_at(file, line, span.start_col as u32 + 1), code, message);
        match self.source_line(file, line) {
            Some(detail) => problem.with_detail(detail),
            None => problem,
        }
    }

    /// English fallback: Tera's joined reports ("error: Unknown filter `x`\n --> name:2:19").
    fn from_report_text(&self, name: &str, text: &str, stage: Stage) -> Problem {
        let head = text.lines().next().unwrap_or("").trim_start_matches("error:").trim();
        let message = format!("模板错误：{}", message_zh(head));
        let located = text.lines().find_map(|l| {
            let rest = l.trim().strip_prefix("--> ")?;
            let mut it = rest.rsplitn(3, ':');
            let col: u32 = it.next()?.parse().ok()?;
            let line: u32 = it.next()?.parse().ok()?;
            Some((it.next()?.to_string(), line, col))
        });
        match located {
            Some((file, line, col)) => {
                let problem = Problem::error(self.place_at(&file, line, col), stage.code(), message);
                match self.source_line(&file, line) {
                    Some(detail) => problem.with_detail(detail),
                    None => problem,
                }
            }
            None => Problem::error(self.place(name), stage.code(), message),
        }
    }

    /// "3 | <p>{{ unit.nmae }}</p>": the template's own line, for the message's detail.
    fn source_line(&self, name: &str, line: u32) -> Option<String> {
        let text = self.source_text(name)?;
        text.lines().nth(line.checked_sub(1)? as usize).map(|l| format!("{line} | {}", l.trim_end()))
    }
}

/// A limit Tera stopped the render at, in the user's words.
fn limit_zh(limit: &Limit) -> String {
    match limit {
        Limit::Steps(_) => {
            format!("模板运行超过 {} 万步仍未结束，已中止（是否有失控的循环，或组件反复调用自身？）", MAX_STEPS / 10_000)
        }
        Limit::Memory(_) => {
            format!("模板运行中生成的内容超过 {} MB 上限，已中止（是否有不断变长的变量或失控的循环？）", MAX_MEMORY >> 20)
        }
        Limit::Nesting(_) => format!("模板构造的列表嵌套超过 {MAX_NESTING} 层，已中止"),
        Limit::Time(_) => format!("模板运行超过 {} 秒仍未结束，已中止（是否有失控的循环？）", MAX_TIME.as_secs()),
        // Limit is non-exhaustive: a bound added in a later patch names itself.
        other => format!("模板运行超出上限，已中止（{other}）"),
    }
}

/// "a → b → a"
fn chain(names: &[String], start: &str) -> String {
    let mut all: Vec<&str> = names.iter().map(String::as_str).collect();
    if all.first() != Some(&start) {
        all.insert(0, start);
    }
    all.join(" → ")
}

/// English fallback: the messages inside Tera's reports, which it gives only as text, with the
/// common ones put into Chinese; others pass through.
fn message_zh(msg: &str) -> String {
    let m = msg.trim();
    if let Some((var, tail)) = m.strip_prefix("Variable `").and_then(|r| r.split_once('`')) {
        if let Some(available) = tail.strip_prefix(" is not defined.") {
            let available = available.trim().strip_prefix("Available variables:").unwrap_or("").trim();
            return if available.is_empty() {
                format!("变量 {var} 未定义（检查拼写，或用 zeren template vars 查看可用变量）")
            } else {
                format!("变量 {var} 未定义（检查拼写）；可用变量：{}", available.replace(", ", "、"))
            };
        }
        if tail.contains("exists but its value is undefined") {
            return format!("变量 {var} 没有值");
        }
    }
    if let Some((field, tail)) = m.strip_prefix("Field `").and_then(|r| r.split_once('`')) {
        if let Some(available) = tail.strip_prefix(" is not defined") {
            let available = available.trim_start_matches('.').trim().strip_prefix("Available fields:").unwrap_or("").trim();
            return if available.is_empty() {
                format!("字段 {field} 未定义（检查拼写）")
            } else {
                format!("字段 {field} 未定义（检查拼写）；这里可用的字段：{}", available.replace(", ", "、"))
            };
        }
    }
    if let Some(ty) = m.strip_prefix("Iteration not possible on type `") {
        return format!("不能对非列表的值（{}）进行循环", ty.trim_end_matches('`'));
    }
    if let Some(f) = m.strip_prefix("Unknown filter `") {
        return format!("未知的过滤器 {}（内置过滤器另有 cn_date、cn_numeral）", f.trim_end_matches('`'));
    }
    for (english, chinese) in [
        ("Unknown function `", "未知的函数"),
        ("Unknown test `", "未知的测试"),
        ("Unknown component `", "未知的组件"),
        ("Unknown template `", "找不到要包含的模板"),
        ("Missing keyword argument `", "缺少参数"),
    ] {
        if let Some(rest) = m.strip_prefix(english) {
            return format!("{chinese} {}", rest.trim_end_matches('`'));
        }
    }
    if let Some((expected, actual)) = m.strip_prefix("Invalid type for the value, expected `").and_then(|r| r.split_once("` but got `")) {
        return format!("值的类型应为 {expected}，实为 {}", actual.trim_end_matches('`'));
    }
    if m.starts_with("Tried to render a variable that is undefined") {
        return "要输出的值未定义".into();
    }
    if m.starts_with("Maximum render recursion depth for components exceeded") {
        return "组件调用自身的层数超过上限（组件无限递归？）".into();
    }
    if m.contains("Unexpected end of input") {
        return "模板意外结束（有未闭合的 {% if %} / {% for %} 或 {{ }}）".into();
    }
    m.to_string()
}

#[cfg(test)]
mod tests {
    use super::message_zh;

    #[test]
    fn tera_wording_becomes_chinese() {
        assert_eq!(
            message_zh("Field `nmae` is not defined. Available fields: leader, name"),
            "字段 nmae 未定义（检查拼写）；这里可用的字段：leader、name"
        );
        assert_eq!(message_zh("Field `x` is not defined"), "字段 x 未定义（检查拼写）");
        assert_eq!(message_zh("Variable `y` is not defined. Available variables: a, b"), "变量 y 未定义（检查拼写）；可用变量：a、b");
        assert_eq!(message_zh("Invalid type for the value, expected `string` but got `number`"), "值的类型应为 string，实为 number");
        assert_eq!(message_zh("Unknown function `now`"), "未知的函数 now");
    }
}
