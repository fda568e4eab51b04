//! File names from unit names: safe on every system a secretariat uses.

/// A unit name made safe as a file name: no path separators, no `..`, none of the characters
/// Windows forbids, no reserved device names, no trailing dot or space, bounded length; no
/// invisible or direction-changing characters, which would make a name read as another
/// (`预算处\u{202E}xcod.exe` shows as `预算处exe.docx`).
pub fn safe_name(name: &str) -> String {
    let mut s: String = name
        .chars()
        .filter(|c| !invisible(*c))
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    s = s.trim_matches(|c: char| c.is_whitespace() || c == '.').to_string();
    while s.contains("..") {
        s = s.replace("..", "_");
    }
    // Keep well under the 255-byte limit of most file systems, on a character boundary.
    if s.len() > 150 {
        let mut end = 150;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
    }
    let stem = s.split('.').next().unwrap_or("").to_ascii_uppercase();
    let reserved = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || (stem.len() == 4 && (stem.starts_with("COM") || stem.starts_with("LPT")) && stem.as_bytes()[3].is_ascii_digit());
    if reserved {
        s.insert(0, '_');
    }
    if s.is_empty() { "未命名".to_string() } else { s }
}

/// Zero-width characters, bidi controls and the byte-order mark.
fn invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{061C}')
}

/// `序号-名称.docx`, the 序号 zero-padded to the width of the count so files sort in roster order.
pub fn file_name(seq: usize, of: usize, name: &str) -> String {
    let width = of.max(1).to_string().len();
    format!("{seq:0width$}-{}.docx", safe_name(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_safe() {
        assert_eq!(safe_name("../../etc/passwd"), "___etc_passwd");
        assert_eq!(safe_name("预算处/国库处"), "预算处_国库处");
        assert_eq!(safe_name("CON"), "_CON");
        assert_eq!(safe_name("  . "), "未命名");
        assert_eq!(safe_name("a\u{0B}b?"), "a_b_");
        assert_eq!(file_name(3, 120, "办公室"), "003-办公室.docx");
        assert_eq!(safe_name("预算处\u{202E}xcod.exe"), "预算处xcod.exe");
        assert_eq!(safe_name("\u{200D}"), "未命名");
    }
}
