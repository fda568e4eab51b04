//! Finding a roster's header and mapping its columns to fields: loose names, aliases, and
//! two-row headers under merged group titles.

use super::super::sheet::{Grid, Merge, cell_ref};
use super::{Field, HEADER_SCAN_ROWS, SheetCtx};
use crate::diag::{Problem, Problems};
use std::collections::HashMap;

/// Header texts, compared after `normalise_header`.
pub(super) const ALIASES: &[(&str, Field)] = &[
    ("单位名称", Field::Name),
    ("单位", Field::Name),
    ("部门", Field::Name),
    ("部门名称", Field::Name),
    ("支部名称", Field::Name),
    ("名称", Field::Name),
    ("负责人", Field::LeaderName),
    ("主要负责人", Field::LeaderName),
    ("姓名", Field::LeaderName),
    ("支部书记", Field::LeaderName),
    ("负责人姓名", Field::LeaderName),
    ("职务", Field::LeaderTitle),
    ("负责人职务", Field::LeaderTitle),
    ("类别", Field::Type),
    ("单位类别", Field::Type),
    ("类型", Field::Type),
    ("联系电话", Field::Phone),
    ("电话", Field::Phone),
    ("手机", Field::Phone),
    ("分管领导", Field::SupervisorName),
    ("分管领导姓名", Field::SupervisorName),
    ("分管领导职务", Field::SupervisorTitle),
    ("本单位责任", Field::Duties),
    ("特有责任", Field::Duties),
    ("责任内容", Field::Duties),
    ("序号", Field::Ignore),
    ("备注", Field::Ignore),
];

/// Header text as compared: no spaces of any width, no line breaks, no required-field stars or
/// trailing colon (“单位名称*”, “职　务”, “分管领导\n职务” all match).
pub(super) fn normalise_header(s: &str) -> String {
    let s: String = s.chars().filter(|c| !c.is_whitespace() && !matches!(c, '\u{3000}' | '*' | '＊')).collect();
    s.trim_end_matches([':', '：']).to_string()
}

/// The field a header cell names, or `None` for a column we do not know (it is ignored).
pub fn field_for_header(header: &str, extra: &[(String, Field)]) -> Option<Field> {
    let h = normalise_header(header);
    if h.is_empty() {
        return None;
    }
    extra
        .iter()
        .find(|(text, _)| normalise_header(text) == h)
        .map(|(_, f)| *f)
        .or_else(|| ALIASES.iter().find(|(a, _)| *a == h).map(|(_, f)| *f))
}

/// The first row among the top non-blank ones naming both the unit and its leader.
pub(super) fn header_row(grid: &Grid, extra: &[(String, Field)]) -> Option<u32> {
    grid.row_indices().into_iter().take(HEADER_SCAN_ROWS).find(|&r| {
        let fields: Vec<Field> = grid.row(r).filter_map(|(_, d)| field_for_header(d.text(), extra)).collect();
        fields.contains(&Field::Name) && fields.contains(&Field::LeaderName)
    })
}

pub(super) struct Header {
    /// The (first) header row.
    pub row: u32,
    pub first_col: u32,
    /// First row of data: below the header, or below its second row.
    pub data_start: u32,
    /// (column, field, header text as shown in messages), in column order.
    pub columns: Vec<(u32, Field, String)>,
}

impl Header {
    pub fn col(&self, field: Field) -> Option<u32> {
        self.columns.iter().find(|(_, f, _)| *f == field).map(|(c, _, _)| *c)
    }

    pub fn label(&self, field: Field) -> String {
        self.columns.iter().find(|(_, f, _)| *f == field).map(|(_, _, t)| t.clone()).unwrap_or_else(|| field.label().into())
    }
}

/// The regions merged across columns on the header row, left to right. In a damaged file two may
/// overlap: the one further left is kept, so each column belongs to at most one.
fn header_spans(merges: &[Merge], row: u32) -> Vec<Merge> {
    let mut spans: Vec<Merge> = merges.iter().filter(|m| m.first.0 == row && m.last.1 > m.first.1).copied().collect();
    spans.sort_unstable_by_key(|m| (m.first.1, m.last.1));
    let mut kept: Vec<Merge> = Vec::new();
    for m in spans {
        if kept.last().is_none_or(|k| m.first.1 > k.last.1) {
            kept.push(m);
        }
    }
    kept
}

/// Maps the header's columns to fields. A header cell merged across columns with names in the
/// row below (负责人 over 姓名 | 职务) is read as a two-row header: “负责人”+“职务”.
pub(super) fn analyse(
    grid: &Grid,
    row: u32,
    merges: &[Merge],
    extra: &[(String, Field)],
    ctx: &SheetCtx,
    problems: &mut Problems,
) -> Header {
    let spans = header_spans(merges, row);
    let span_of = |c: u32| spans.iter().find(|m| m.first.1 <= c && c <= m.last.1);
    // Only names the fields know make a second header row: under a merely wide (merged)
    // header cell, the next row is data.
    let sub_header = |m: &Merge, c: u32| {
        let child = normalise_header(grid.text(row + 1, c));
        let parent = normalise_header(grid.text(row, m.first.1));
        !child.is_empty() && (field_for_header(&format!("{parent}{child}"), extra).is_some() || field_for_header(&child, extra).is_some())
    };
    let two_rows = spans.iter().any(|m| (m.first.1..=m.last.1).any(|c| sub_header(m, c)));
    let mut cols: Vec<u32> = grid.row(row).map(|(c, _)| c).collect();
    if two_rows {
        cols.extend(spans.iter().flat_map(|m| m.first.1..=m.last.1));
        cols.sort_unstable();
        cols.dedup();
    }
    let mut columns: Vec<(u32, Field, String)> = Vec::new();
    let mut seen: HashMap<Field, (u32, u32)> = HashMap::new();
    for c in cols {
        let span = span_of(c);
        let parent = normalise_header(grid.text(row, span.map_or(c, |m| m.first.1)));
        let child = if two_rows && span.is_some() { normalise_header(grid.text(row + 1, c)) } else { String::new() };
        let (text, field) = if child.is_empty() {
            (parent.clone(), field_for_header(&parent, extra))
        } else {
            let both = format!("{parent}{child}");
            match field_for_header(&both, extra) {
                Some(f) => (both, Some(f)),
                None => (child.clone(), field_for_header(&child, extra)),
            }
        };
        if text.is_empty() {
            continue;
        }
        // “分管领导 | 职务”: a bare 职务 right after the supervisor is the supervisor's.
        let field = match field {
            Some(Field::LeaderTitle)
                if text == "职务" && columns.last().is_some_and(|(pc, f, _)| *f == Field::SupervisorName && *pc + 1 == c) =>
            {
                Some(Field::SupervisorTitle)
            }
            f => f,
        };
        let at_row = if child.is_empty() { row } else { row + 1 };
        match field {
            None => problems.push(
                Problem::warning(ctx.at(at_row, c), "roster.column-ignored", format!("不认识的列“{text}”，已忽略"))
                    .with_detail(MAPPING_HINT),
            ),
            Some(Field::Ignore) => {}
            Some(f) => match seen.get(&f) {
                Some(&(first_row, first_col)) => problems.push(Problem::error(
                    ctx.at(at_row, c),
                    "roster.column-duplicate",
                    format!("“{}”列重复：{} 与 {}，请删去或改名其中一列", f.label(), cell_ref(first_row, first_col), cell_ref(at_row, c)),
                )),
                None => {
                    seen.insert(f, (at_row, c));
                    columns.push((c, f, text));
                }
            },
        }
    }
    let first_col = grid.row(row).map(|(c, _)| c).next().unwrap_or(0);
    for required in [Field::Type, Field::LeaderTitle] {
        if !seen.contains_key(&required) {
            problems.push(
                Problem::error(ctx.at(row, first_col), "roster.column-missing", format!("表头缺少“{}”列", required.label()))
                    .with_detail(format!("列名可写作：{}", required.aliases().collect::<Vec<_>>().join("、"))),
            );
        }
    }
    Header { row, first_col, data_start: row + if two_rows { 2 } else { 1 }, columns }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_loosely() {
        assert_eq!(field_for_header("职　务", &[]), Some(Field::LeaderTitle));
        assert_eq!(field_for_header(" 单位 名称 ", &[]), Some(Field::Name));
        assert_eq!(field_for_header("分管领导\n职务", &[]), Some(Field::SupervisorTitle));
        assert_eq!(field_for_header("分管领导\r\n姓名", &[]), Some(Field::SupervisorName));
        assert_eq!(field_for_header("单位名称*", &[]), Some(Field::Name));
        assert_eq!(field_for_header("序号", &[]), Some(Field::Ignore));
        assert_eq!(field_for_header("办公地点", &[]), None);
        assert_eq!(field_for_header("", &[]), None);
        let extra = vec![("办公 地点".to_string(), Field::Ignore), ("姓名".to_string(), Field::SupervisorName)];
        assert_eq!(field_for_header("办公地点", &extra), Some(Field::Ignore));
        assert_eq!(field_for_header("姓　名", &extra), Some(Field::SupervisorName), "extra columns win over built-in names");
    }

    #[test]
    fn every_alias_maps_to_its_field_and_labels_round_trip() {
        for (alias, field) in ALIASES {
            assert_eq!(field_for_header(alias, &[]), Some(*field), "{alias}");
        }
        for f in Field::DATA {
            assert_eq!(field_for_header(f.label(), &[]), Some(f));
        }
    }

    #[test]
    fn overlapping_header_spans_leave_each_column_to_one() {
        let m = |a: u32, b: u32| Merge { first: (0, a), last: (0, b) };
        let merges: Vec<Merge> =
            std::iter::repeat_n(m(2, 3), 50_000).chain([m(3, 6), m(0, 1), m(5, 5), Merge { first: (1, 0), last: (1, 4) }]).collect();
        assert_eq!(header_spans(&merges, 0), [m(0, 1), m(2, 3)]);
    }
}

/// What to do about a header zeren does not know: map it in zeren.yaml.
pub(super) const MAPPING_HINT: &str = "其他叫法可在 zeren.yaml 中映射到字段，如 roster: { columns: { 负责同志: leader } }（字段：name、type、leader、title、supervisor、supervisor_title、phone、duties、ignore）";
