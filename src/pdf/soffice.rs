//! The test oracle: .docx files → PDF by LibreOffice (`soffice --headless`), one process per
//! folder of documents, since its start-up costs more than a dozen conversions. `build --pdf`
//! no longer uses it (zeren draws its PDFs itself); the render tests and the benchmark compare
//! with it.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Names `soffice` explicitly, for machines where it is not on PATH.
pub const SOFFICE_ENV: &str = "ZEREN_SOFFICE";

#[derive(Debug)]
pub enum PdfError {
    /// No `soffice` on PATH, in the usual install folders, or at `ZEREN_SOFFICE`.
    NotFound(Option<PathBuf>),
    Start(PathBuf, std::io::Error),
    TimedOut(Duration),
    /// soffice ended without writing these PDFs; its stderr.
    Missing(Vec<PathBuf>, String),
}

impl fmt::Display for PdfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PdfError::NotFound(Some(p)) => write!(f, "--pdf：{SOFFICE_ENV} 指向的 {} 不存在", p.display()),
            PdfError::NotFound(None) => {
                write!(f, "--pdf 需要 LibreOffice，但没有找到 soffice；请安装 LibreOffice，或用环境变量 {SOFFICE_ENV} 指明 soffice 的位置")
            }
            PdfError::Start(p, e) => write!(f, "无法启动 {}：{e}", p.display()),
            PdfError::TimedOut(d) => write!(f, "LibreOffice 转换 PDF 超过 {} 秒仍未完成，已中止", d.as_secs()),
            PdfError::Missing(files, stderr) => {
                write!(f, "LibreOffice 未能转换 {} 个文件：", files.len())?;
                for p in files.iter().take(10) {
                    write!(f, "\n    {}", p.display())?;
                }
                if !stderr.trim().is_empty() {
                    write!(f, "\nsoffice 的输出：{}", stderr.trim())?;
                }
                Ok(())
            }
        }
    }
}

/// Where `soffice` is: `ZEREN_SOFFICE`, else PATH, else the default install folders.
pub fn find_soffice() -> Result<PathBuf, PdfError> {
    if let Some(p) = std::env::var_os(SOFFICE_ENV) {
        let p = PathBuf::from(p);
        return if p.is_file() { Ok(p) } else { Err(PdfError::NotFound(Some(p))) };
    }
    let names: &[&str] = if cfg!(windows) { &["soffice.exe", "soffice.com"] } else { &["soffice", "libreoffice"] };
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)));
    let usual = [
        "/Applications/LibreOffice.app/Contents/MacOS/soffice",
        r"C:\Program Files\LibreOffice\program\soffice.exe",
        r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    ]
    .into_iter()
    .map(PathBuf::from);
    on_path.chain(usual).find(|p| p.is_file()).ok_or(PdfError::NotFound(None))
}

/// PDF export that keeps the blank pages LibreOffice inserts so that each document of a print
/// file starts on an odd page (headless export drops them by default, and a duplex print then
/// puts a letter on the back of the one before). JSON filter options need LibreOffice 7.4+.
const PDF_FILTER: &str = r#"pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}"#;

/// Converts `files` (all in one folder or not) into `out_dir`, each `NAME.docx` → `NAME.pdf`.
/// `profile` is a scratch folder for LibreOffice's user profile: a private one keeps a running
/// LibreOffice, or a parallel run, from taking the job over.
pub fn convert(soffice: &Path, files: &[PathBuf], out_dir: &Path, profile: &Path) -> Result<Vec<PathBuf>, PdfError> {
    if files.is_empty() {
        return Ok(Vec::new());
    }
    let mut child = Command::new(soffice)
        .arg(format!("-env:UserInstallation={}", file_url(profile)))
        .args(["--headless", "--norestore", "--nolockcheck", "--convert-to", PDF_FILTER, "--outdir"])
        .arg(out_dir)
        .args(files)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| PdfError::Start(soffice.to_path_buf(), e))?;
    // Generous: a first start with a fresh profile takes seconds, each letter a fraction.
    let limit = Duration::from_secs(120 + 2 * files.len() as u64);
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if started.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(PdfError::TimedOut(limit));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => return Err(PdfError::Start(soffice.to_path_buf(), e)),
        }
    }
    let stderr = child.wait_with_output().map(|o| String::from_utf8_lossy(&o.stderr).into_owned()).unwrap_or_default();
    let pdfs: Vec<PathBuf> = files.iter().map(|f| out_dir.join(f.with_extension("pdf").file_name().unwrap_or_default())).collect();
    let missing: Vec<PathBuf> = files.iter().zip(&pdfs).filter(|(_, p)| !p.is_file()).map(|(f, _)| f.clone()).collect();
    if missing.is_empty() { Ok(pdfs) } else { Err(PdfError::Missing(missing, stderr)) }
}

/// A `file://` URL, as `-env:UserInstallation` wants it.
fn file_url(path: &Path) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let s = abs.to_string_lossy().replace('\\', "/");
    let mut url = String::from(if s.starts_with('/') { "file://" } else { "file:///" });
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~:".contains(&b) {
            url.push(b as char);
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_urls_are_absolute_and_escaped() {
        let url = file_url(Path::new("/tmp/输出 1/.lo"));
        assert_eq!(url, "file:///tmp/%E8%BE%93%E5%87%BA%201/.lo");
    }
}
