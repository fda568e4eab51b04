//! A calendar date checked on construction, printed the GB/T 9704 way: 2026年1月5日.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// `None` for an impossible date such as 2026-02-30.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1900..=9999).contains(&year) || !(1..=12).contains(&month) || day == 0 {
            return None;
        }
        (day <= days_in_month(year, month)).then_some(Date { year, month, day })
    }

    /// Reads `2026-01-05`, `2026/1/5`, `2026.1.5` or `2026年1月5日`.
    pub fn parse(s: &str) -> Result<Date, DateError> {
        let s = s.trim();
        let normal: String = s
            .chars()
            .map(|c| match c {
                '年' | '月' | '/' | '.' => '-',
                '日' => ' ',
                c => c,
            })
            .collect();
        let parts: Vec<&str> = normal.trim().split('-').collect();
        if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
            return Err(DateError::Format);
        }
        let (Ok(y), Ok(m), Ok(d)) = (parts[0].parse(), parts[1].parse(), parts[2].parse()) else {
            return Err(DateError::Format);
        };
        if parts[0].len() != 4 {
            return Err(DateError::Format);
        }
        Date::new(y, m, d).ok_or(DateError::Impossible)
    }

    /// 2026年1月5日: Arabic numerals, full year, no zero padding (GB/T 9704 §7.3.5).
    pub fn chinese(&self) -> String {
        format!("{}年{}月{}日", self.year, self.month, self.day)
    }

    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// Whether this 成文日期 fits the workspace's 年度 — one rule for zeren.yaml and for the web
    /// form's year. Letters are signed in their year or late in the year before: fine. In the
    /// year after (an annual report written in January): a warning to check. Further off: an
    /// error, since every document would carry a date from another year.
    pub fn year_mismatch(&self, year: i32, place: crate::diag::Place) -> Option<crate::diag::Problem> {
        use crate::diag::Problem;
        if self.year == year || self.year == year - 1 {
            None
        } else if self.year == year + 1 {
            Some(Problem::warning(
                place,
                "settings.date-year",
                format!("成文日期 {} 在 {year} 年度之后，请核对（年度报告表常在次年年初成文，可不改）", self.chinese()),
            ))
        } else {
            Some(Problem::error(
                place,
                "settings.date-year",
                format!(
                    "成文日期 {} 与 {year} 年度不符：应在该年度内或前一年年底（如 2026年1月5日 可用于 2026、2027 年度）",
                    self.chinese()
                ),
            ))
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateError {
    Format,
    Impossible,
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::Format => f.write_str("日期格式应为 2026-01-05（年份用四位阿拉伯数字）"),
            DateError::Impossible => f.write_str("日期不存在"),
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.chinese())
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_without_zero_padding() {
        assert_eq!(Date::parse("2026-01-05").unwrap().chinese(), "2026年1月5日");
        assert_eq!(Date::parse("2026年3月9日").unwrap().iso(), "2026-03-09");
    }

    #[test]
    fn rejects_impossible_and_chinese_numerals() {
        assert_eq!(Date::parse("2026-02-30"), Err(DateError::Impossible));
        assert_eq!(Date::parse("2024-02-29").map(|d| d.day), Ok(29));
        assert_eq!(Date::parse("二〇二六年一月五日"), Err(DateError::Format));
        assert_eq!(Date::parse("26-1-5"), Err(DateError::Format));
    }
}
