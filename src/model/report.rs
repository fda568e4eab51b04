//! 述责述廉: what one 班子 member or unit head reports for the year.

use crate::diag::Place;

/// The form's sections, in the order the form prints them: (YAML key, label).
pub const SECTIONS: [(&str, &str); 7] = [
    ("duty", "履行第一责任人或一岗双责情况"),
    ("discipline", "遵守政治纪律和政治规矩、执行民主集中制情况"),
    ("frugality", "落实中央八项规定精神情况"),
    ("integrity", "廉洁自律情况"),
    ("personal_matters", "个人有关事项报告情况"),
    ("problems", "存在问题"),
    ("measures", "整改措施"),
];

#[derive(Debug, Clone)]
pub struct Report {
    pub unit: String,
    pub name: String,
    pub title: String,
    /// 分管工作.
    pub portfolio: String,
    /// 性别, 出生年月 (1978年5月), 政治面貌, 任职时间: blank where not given (filled in by hand).
    pub gender: String,
    pub birth: String,
    pub political: String,
    pub appointed: String,
    /// One text per entry of `SECTIONS`, in that order.
    pub sections: Vec<String>,
    pub place: Place,
}
