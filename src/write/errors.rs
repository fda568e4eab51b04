//! What went wrong writing OUT, in words a clerk can act on: never a bare "os error 17".

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub enum WriteError {
    /// OUT (or a folder above it) exists and is not a folder: a usage error.
    NotADirectory(PathBuf),
    /// Things in OUT that stop the run before anything is written, all of them.
    Blocked {
        out: PathBuf,
        blockers: Vec<Blocker>,
    },
    /// The disk holding OUT has less room than the run needs.
    NoSpace {
        out: PathBuf,
        need: u64,
        free: u64,
    },
    Io(PathBuf, io::Error),
    /// A switch-over journal zeren cannot read (someone edited it).
    Journal {
        path: PathBuf,
        why: String,
    },
    /// The switch-over failed and was undone: OUT is as it was.
    Undone(Box<WriteError>),
    /// The switch-over failed and could not be undone either; the journal stays for the next run.
    UndoFailed {
        cause: String,
        undo: Box<WriteError>,
        meta: PathBuf,
    },
}

/// One thing in OUT in the way of the run; paths relative to OUT (empty: OUT itself).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Blocker {
    /// A file the user changed (`changed`) or added where this run writes; `--force` overrides.
    UserFile {
        rel: PathBuf,
        changed: bool,
    },
    /// A folder where this run writes a file.
    FolderInTheWay(PathBuf),
    /// A file where this run needs a folder (a plain file named `责任书`).
    ParentIsFile(PathBuf),
    /// A symlink where this run needs a folder: writing through it could leave OUT.
    Symlink(PathBuf),
    /// A device, pipe or socket where this run writes a file.
    NotRegular(PathBuf),
    Unwritable(PathBuf),
    /// A folder on another disk than OUT: the switch-over's renames cannot reach it.
    OtherDevice(PathBuf),
    /// `.zeren` is not a folder this user made (a file, a symlink, another owner).
    MetaNotOurs(PathBuf),
    /// A file of zeren's, unchanged, that the user made read-only where this run writes; `--force` overrides.
    ReadOnly(PathBuf),
    /// `.zeren/record` does not parse at `line`: no file can be told zeren's; `--force` overrides.
    RecordDamaged {
        line: usize,
        why: String,
    },
}

impl WriteError {
    /// Exit code (design, settled 8): an output location that is a file is a usage error.
    pub fn exit_code(&self) -> u8 {
        match self {
            WriteError::NotADirectory(_) => 2,
            _ => 1,
        }
    }

    /// The I/O error behind this one, if any (to tell a full disk from the rest).
    pub fn io_kind(&self) -> Option<io::ErrorKind> {
        match self {
            WriteError::Io(_, e) => Some(e.kind()),
            _ => None,
        }
    }
}

pub(crate) fn io(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |e| WriteError::Io(path.to_path_buf(), e)
}

/// What an I/O error means for someone writing documents into a folder, and what to do.
pub fn explain(e: &io::Error) -> String {
    if super::fsx::is_not_regular(e) {
        return NOT_REGULAR.to_string();
    }
    #[cfg(unix)]
    if let Some(text) = explain_errno(e) {
        return text.to_string();
    }
    use io::ErrorKind as K;
    let text = match e.kind() {
        K::StorageFull => FULL,
        K::QuotaExceeded => QUOTA,
        K::AlreadyExists => EXISTS,
        K::NotADirectory => NOT_DIR,
        K::IsADirectory => IS_DIR,
        K::PermissionDenied => DENIED,
        K::ReadOnlyFilesystem => READ_ONLY,
        K::CrossesDevices => CROSS,
        K::InvalidFilename => TOO_LONG,
        K::NotFound => GONE,
        K::ResourceBusy => BUSY,
        _ => return format!("读写失败（{e}）"),
    };
    text.to_string()
}

const FULL: &str = "磁盘空间已满：请删除不需要的文件、腾出空间后重新运行，或用 -o 换到空间充足的磁盘（输出文件夹保持原样）";
const QUOTA: &str = "超出了磁盘配额：请清理后重新运行，或用 -o 换一个输出文件夹";
const EXISTS: &str = "已有同名的文件或文件夹：请把它改名或移走后重新运行";
const NOT_DIR: &str = "路径中有一段是文件而不是文件夹：请把挡路的文件改名或移走后重新运行";
const IS_DIR: &str = "这里是一个文件夹，不能当作文件写入：请把它改名或移走后重新运行";
const DENIED: &str = "没有权限：请检查文件夹权限、是否只读或正被其他程序占用，或用 -o 换一个输出文件夹";
const READ_ONLY: &str = "所在磁盘是只读的：请用 -o 换一个可写的输出文件夹";
const CROSS: &str = "与输出文件夹不在同一个磁盘分区上，无法移入：请换成普通文件夹";
const NOT_REGULAR: &str = "这不是普通文件（是管道、设备或套接字），zeren 不会打开它：请把它删除或移走后重新运行";
const LOOP: &str = "是符号链接：zeren 不经由符号链接读写，请换成普通文件或文件夹";
const TOO_LONG: &str = "文件名或路径太长：请缩短输出文件夹的路径或单位名称";
const GONE: &str = "找不到了（可能在运行中被移走或删除）：请重新运行";
const BUSY: &str = "正被其他程序占用：请关闭打开它的程序后重新运行";

#[cfg(unix)]
fn explain_errno(e: &io::Error) -> Option<&'static str> {
    use rustix::io::Errno as E;
    let errno = super::fsx::errno(e)?;
    Some(match errno {
        E::NOSPC => FULL,
        E::DQUOT => QUOTA,
        E::EXIST | E::NOTEMPTY => EXISTS,
        E::NOTDIR => NOT_DIR,
        E::ISDIR => IS_DIR,
        E::ACCESS | E::PERM => DENIED,
        E::ROFS => READ_ONLY,
        E::XDEV => CROSS,
        E::LOOP => LOOP,
        E::NAMETOOLONG => TOO_LONG,
        E::NOENT => GONE,
        E::BUSY | E::TXTBSY => BUSY,
        _ => return None,
    })
}

/// OUT's own path for a path relative to it (empty: OUT itself).
fn shown(out: &Path, rel: &Path) -> String {
    if rel.as_os_str().is_empty() { out.display().to_string() } else { out.join(rel).display().to_string() }
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::NotADirectory(p) => write!(f, "{}: 输出位置已存在且不是文件夹；请用 -o 指定一个文件夹", p.display()),
            WriteError::Blocked { out, blockers } => write_blockers(f, out, blockers),
            WriteError::NoSpace { out, need, free } => write!(
                f,
                "{}: 磁盘剩余空间约 {}，本次生成约需 {}；请腾出空间后重新运行，或用 -o 换到空间充足的磁盘（未写任何文件）",
                out.display(),
                size(*free),
                size(*need)
            ),
            WriteError::Io(p, e) => write!(f, "{}: {}", p.display(), explain(e)),
            WriteError::Journal { path, why } => write!(
                f,
                "{}: 无法读取上次运行的切换记录（{why}），zeren 无法判断它进行到哪一步；请查看同一文件夹中的 staging 与 old 两个文件夹，把需要的文件取出后删除整个 .zeren 文件夹，再重新运行",
                path.display()
            ),
            WriteError::Undone(cause) => write!(f, "{cause}\n    已撤销本次的全部改动，输出文件夹保持运行前的样子"),
            WriteError::UndoFailed { cause, undo, meta } => write!(
                f,
                "{cause}\n    撤销时又出错：{undo}\n    未完成的切换记录保存在 {}，下次运行会先再试着撤销；在此之前请不要改动该文件夹",
                meta.display()
            ),
        }
    }
}

fn write_blockers(f: &mut fmt::Formatter<'_>, out: &Path, blockers: &[Blocker]) -> fmt::Result {
    let users: Vec<&Blocker> = blockers.iter().filter(|b| matches!(b, Blocker::UserFile { .. })).collect();
    let damaged = blockers.iter().any(|b| matches!(b, Blocker::RecordDamaged { .. }));
    let mut first = true;
    let mut line = |f: &mut fmt::Formatter<'_>, text: String| {
        let sep = if first { "" } else { "\n" };
        first = false;
        write!(f, "{sep}{text}")
    };
    for b in blockers {
        if let Blocker::RecordDamaged { line: at, why } = b {
            let text = format!(
                "{} 第 {at} 行：zeren 的生成记录已损坏（{why}），无法判断输出文件夹中哪些文件是 zeren 生成、未被改动过的；为免覆盖您的文件，未写任何文件。\n  请把这个文件恢复原样；或确认输出文件夹中的同名文件都不需要保留后，加 --force 重新运行（会覆盖同名文件、重写生成记录）；或用 -o 换一个新的输出文件夹",
                out.join(super::RECORD).display()
            );
            line(f, text)?;
        }
    }
    if !users.is_empty() {
        let mut text =
            format!("输出文件夹 {} 中有 {} 个您修改或添加的文件与本次要写的文件同名，未覆盖、未写任何文件：", out.display(), users.len());
        for b in users.iter().take(10) {
            if let Blocker::UserFile { rel, changed } = b {
                let why = match changed {
                    _ if damaged => "生成记录已损坏，无法判断是否由 zeren 生成",
                    true => "上次由 zeren 生成，之后被改过",
                    false => "不是 zeren 生成的",
                };
                text.push_str(&format!("\n    {}（{why}）", rel.display()));
            }
        }
        if users.len() > 10 {
            text.push_str(&format!("\n    ……等 {} 个", users.len()));
        }
        text.push_str("\n  要保留它们，请先改名或移到别处；如确需覆盖，请加 --force");
        line(f, text)?;
    }
    for b in blockers {
        let text = match b {
            Blocker::UserFile { .. } => continue,
            Blocker::FolderInTheWay(rel) => {
                format!("{}: 这里是一个文件夹，而本次要在这里写同名的文件；请把这个文件夹改名或移走（未写任何文件）", shown(out, rel))
            }
            Blocker::ParentIsFile(rel) => {
                format!("{}: 这是一个文件，而本次要在这里建文件夹放文书；请把这个文件改名或移走（未写任何文件）", shown(out, rel))
            }
            Blocker::Symlink(rel) => format!(
                "{}: 这是符号链接；zeren 不会经由符号链接写到输出文件夹之外，请把它换成普通文件夹，或用 -o 换一个输出文件夹（未写任何文件）",
                shown(out, rel)
            ),
            Blocker::NotRegular(rel) => {
                format!("{}: 这不是普通文件（设备、管道等），本次要在这里写文件；请把它移走（未写任何文件）", shown(out, rel))
            }
            Blocker::Unwritable(rel) => format!(
                "{}: 没有写入权限（或只读），本次要在这里替换或新建文件；请修改权限，或用 -o 换一个输出文件夹（未写任何文件）",
                shown(out, rel)
            ),
            Blocker::OtherDevice(rel) => format!(
                "{}: 与输出文件夹不在同一个磁盘分区上（挂载点），无法和其余文件一起切换；请换成普通文件夹（未写任何文件）",
                shown(out, rel)
            ),
            Blocker::MetaNotOurs(rel) => format!(
                "{}: 这是 zeren 存放生成记录的位置，但它不是本用户建立的文件夹（是文件、符号链接或属于别的用户）；请检查后把它移走（未写任何文件）",
                shown(out, rel)
            ),
            Blocker::RecordDamaged { .. } => continue,
            Blocker::ReadOnly(rel) => format!(
                "{}: 这个文件上次由 zeren 生成、内容未改，但被设为了只读；zeren 不替换您设为只读的文件。如需重新生成，请先取消它的只读属性，或加 --force（新文件仍保持只读）（未写任何文件）",
                shown(out, rel)
            ),
        };
        line(f, text)?;
    }
    Ok(())
}

/// Bytes as a clerk reads them.
fn size(bytes: u64) -> String {
    const MB: f64 = 1024.0 * 1024.0;
    if bytes as f64 >= 1024.0 * MB { format!("{:.1} GB", bytes as f64 / 1024.0 / MB) } else { format!("{:.1} MB", bytes as f64 / MB) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_os_errors_become_chinese_advice() {
        for (code, words) in [(17, "已有同名"), (20, "不是文件夹"), (28, "磁盘空间已满"), (13, "没有权限")] {
            let text = WriteError::Io(PathBuf::from("out/责任书"), io::Error::from_raw_os_error(code)).to_string();
            assert!(text.contains(words) && text.starts_with("out/责任书: "), "{code}: {text}");
            assert!(!text.contains("os error"), "{code}: {text}");
        }
    }

    #[test]
    fn blockers_name_every_file_and_say_what_to_do() {
        let e = WriteError::Blocked {
            out: PathBuf::from("out"),
            blockers: vec![
                Blocker::UserFile { rel: PathBuf::from("责任书/02-预算处.docx"), changed: true },
                Blocker::ParentIsFile(PathBuf::from("函告书")),
            ],
        };
        let text = e.to_string();
        assert!(text.contains("责任书/02-预算处.docx（上次由 zeren 生成，之后被改过）") && text.contains("--force"), "{text}");
        assert!(text.contains("out/函告书: 这是一个文件"), "{text}");
    }
}
