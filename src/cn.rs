//! Chinese numbering used by headings (一、（一）) and by template filters.

/// 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五. Zero and negatives print as 〇.
pub fn numeral(n: u64) -> String {
    const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    if n == 0 {
        return "〇".into();
    }
    if n < 10 {
        return DIGITS[n as usize].to_string();
    }
    if n < 20 {
        let mut s = "十".to_string();
        if n % 10 != 0 {
            s.push(DIGITS[(n % 10) as usize]);
        }
        return s;
    }
    if n < 100 {
        let mut s = format!("{}十", DIGITS[(n / 10) as usize]);
        if n % 10 != 0 {
            s.push(DIGITS[(n % 10) as usize]);
        }
        return s;
    }
    if n < 1000 {
        let mut s = format!("{}百", DIGITS[(n / 100) as usize]);
        let rest = n % 100;
        if rest == 0 {
            return s;
        }
        if rest < 10 {
            s.push('〇');
            s.push(DIGITS[rest as usize]);
        } else if rest < 20 {
            s.push('一');
            s.push_str(&numeral(rest));
        } else {
            s.push_str(&numeral(rest));
        }
        return s.replace('〇', "零");
    }
    n.to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn numerals() {
        let got: Vec<String> = [1, 9, 10, 11, 20, 21, 99, 100, 105, 110].iter().map(|&n| super::numeral(n)).collect();
        assert_eq!(got, ["一", "九", "十", "十一", "二十", "二十一", "九十九", "一百", "一百零五", "一百一十"]);
    }
}
