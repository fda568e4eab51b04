//! The faces a PDF is set in, one per 公文 font role: the face the style names (方正小标宋简体、
//! 仿宋_GB2312、黑体、楷体_GB2312、宋体) or a name offices use for it, from the workspace's fonts
//! folder or the system; else a free stand-in with the same one-em hanzi (the mapping of
//! `tests/fonts/fonts.conf`). Every face found is embedded, subset, in each PDF.

use crate::layout::Style;
use crate::layout::style::FontRole;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The roles, in the order the summary names them.
pub const ROLES: [FontRole; 5] = [FontRole::Xiaobiaosong, FontRole::Fangsong, FontRole::Heiti, FontRole::Kaiti, FontRole::Songti];

/// What a role is called in the summary.
pub fn role_name(role: FontRole) -> &'static str {
    match role {
        FontRole::Xiaobiaosong => "标志、标题",
        FontRole::Fangsong => "正文",
        FontRole::Heiti => "黑体",
        FontRole::Kaiti => "楷体",
        FontRole::Songti => "页码",
    }
}

/// Other names of the same face: an office that has 仿宋 rather than 仿宋_GB2312 prints with it.
fn aliases(wanted: &str) -> &'static [&'static str] {
    match wanted {
        "仿宋_GB2312" => &["仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong"],
        "仿宋" => &["仿宋", "FangSong", "仿宋_GB2312", "FangSong_GB2312"],
        "楷体_GB2312" => &["楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi"],
        "楷体" => &["楷体", "KaiTi", "楷体_GB2312", "KaiTi_GB2312"],
        "方正小标宋简体" | "方正小标宋_GBK" => {
            &["方正小标宋简体", "FZXiaoBiaoSong-B05S", "方正小标宋_GBK", "FZXiaoBiaoSong-B05"]
        }
        "黑体" => &["黑体", "SimHei"],
        "宋体" => &["宋体", "SimSun"],
        _ => &[],
    }
}

/// Free faces with a one-em hanzi, nearest in shape first (domain notes §4), and whether the
/// bold weight is the one meant (小标宋 is a heavy Song).
fn stand_ins(role: FontRole) -> (&'static [&'static str], bool) {
    match role {
        FontRole::Xiaobiaosong => (&["Noto Serif CJK SC", "FandolSong", "AR PL SungtiL GB", "Noto Sans CJK SC"], true),
        FontRole::Fangsong => (&["FandolFang", "AR PL SungtiL GB", "Noto Serif CJK SC", "Noto Sans CJK SC"], false),
        FontRole::Heiti => (&["FandolHei", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Noto Sans CJK SC"], false),
        FontRole::Kaiti => (&["FandolKai", "AR PL KaitiM GB", "AR PL UKai CN", "Noto Serif CJK SC"], false),
        FontRole::Songti => (&["FandolSong", "AR PL SungtiL GB", "Noto Serif CJK SC", "Noto Sans CJK SC"], false),
    }
}

/// One face as loaded: its bytes, shared by every PDF of the run.
#[derive(Clone)]
pub struct Face {
    /// The family the face calls itself.
    pub family: String,
    pub file: PathBuf,
    pub index: u32,
    pub data: Arc<Vec<u8>>,
    /// The face as krilla embeds it (subset per PDF).
    pub font: krilla::text::Font,
    /// The same number for the same file and index, whichever roles it serves (`shared`).
    pub slot: usize,
}

impl Face {
    /// The face's glyph for `c`, if it has one.
    pub fn glyph(&self, c: char) -> Option<u16> {
        use skrifa::MetadataProvider;
        let font = skrifa::FontRef::from_index(&self.data, self.index).ok()?;
        font.charmap().map(c).and_then(|g| u16::try_from(g.to_u32()).ok()).filter(|g| *g != 0)
    }
}

/// Which face a role got, for the summary.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub role: FontRole,
    /// The name the style asks for.
    pub wanted: String,
    /// The family set instead, and whether it is a stand-in.
    pub got: String,
    pub stand_in: bool,
}

/// The faces of a run, by role.
pub struct Faces {
    by_role: Vec<(FontRole, Face)>,
    pub choices: Vec<Choice>,
    /// The workspace folder searched first, as the warning names it.
    folder: String,
}

#[derive(Debug)]
pub struct FontError(pub String);

impl std::fmt::Display for FontError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Faces {
    /// Finds every role's face in `folder` (the workspace's fonts, searched first) and the
    /// system's font folders.
    pub fn find(style: &Style, folder: Option<&Path>) -> Result<Faces, FontError> {
        let mut db = fontdb::Database::new();
        if let Some(dir) = folder.filter(|d| d.is_dir()) {
            db.load_fonts_dir(dir);
        }
        db.load_system_fonts();
        let mut by_role: Vec<(FontRole, Face)> = Vec::new();
        let mut choices = Vec::new();
        for role in ROLES {
            let wanted = style.font(role).to_string();
            let own: Vec<&str> = if aliases(&wanted).is_empty() { vec![wanted.as_str()] } else { aliases(&wanted).to_vec() };
            let (standins, bold) = stand_ins(role);
            let found = own
                .iter()
                .find_map(|name| lookup(&db, name, false))
                .map(|id| (id, false))
                .or_else(|| standins.iter().find_map(|name| lookup(&db, name, bold)).map(|id| (id, true)))
                .or_else(|| any_hanzi_face(&db).map(|id| (id, true)));
            let Some((id, stand_in)) = found else {
                return Err(FontError("--pdf：找不到任何含汉字的字体；请安装中文字体，或把公文字体放进工作区的字体文件夹".into()));
            };
            // A face another role got already is the same face: read once, one slot.
            let same = db.face(id).and_then(|info| match &info.source {
                fontdb::Source::File(p) => by_role.iter().find(|(_, f)| f.file == *p && f.index == info.index),
                _ => None,
            });
            let face = match same {
                Some((_, f)) => f.clone(),
                None => Face { slot: by_role.len(), ..load(&db, id)? },
            };
            choices.push(Choice { role, wanted, got: face.family.clone(), stand_in });
            by_role.push((role, face));
        }
        let folder = folder.and_then(|d| d.file_name()).map_or(super::FONTS_DIR.to_string(), |n| n.to_string_lossy().into_owned());
        Ok(Faces { by_role, choices, folder })
    }

    /// The face of `role`.
    pub fn face(&self, role: FontRole) -> &Face {
        self.by_role.iter().find(|(r, _)| *r == role).map(|(_, f)| f).unwrap_or(&self.by_role[0].1)
    }

    /// The role's face first, then the others: a character one face lacks (a rare name's
    /// hanzi, a symbol) is taken from the next that has it.
    pub fn chain(&self, role: FontRole) -> impl Iterator<Item = &Face> {
        std::iter::once(self.face(role)).chain(self.by_role.iter().filter(move |(r, _)| *r != role).map(|(_, f)| f))
    }

    /// The face `role` draws `c` in: its own, else the first other that has it.
    pub fn for_char(&self, role: FontRole, c: char) -> Option<&Face> {
        self.chain(role).find(|f| f.glyph(c).is_some())
    }

    /// Each face once, however many roles it serves.
    pub fn distinct(&self) -> impl Iterator<Item = &Face> {
        self.by_role.iter().enumerate().filter(|(i, (_, f))| f.slot == *i).map(|(_, (_, f))| f)
    }

    /// What `--pdf` says of its fonts: a line naming the face each role got, and a warning
    /// naming the 公文 faces the machine lacks and what stands in for them.
    pub fn report(&self) -> (String, Option<String>) {
        let used: Vec<String> = self.choices.iter().map(|c| format!("{} {}", role_name(c.role), c.got)).collect();
        let line = format!("PDF 字体：{}", used.join("；"));
        let missing: Vec<String> = self
            .choices
            .iter()
            .filter(|c| c.stand_in)
            .map(|c| format!("{}（{}，以 {} 代替）", c.wanted, role_name(c.role), c.got))
            .collect();
        let warning = (!missing.is_empty()).then(|| {
            format!(
                "警告：本机没有这些公文字体，PDF 用了别的字体：{}；把字体文件放进工作区的“{}”文件夹（或装到本机）后再生成，PDF 才与 Word 打印的一致",
                missing.join("、"),
                self.folder
            )
        });
        (line, warning)
    }
}

/// A face whose family (in any language) is `name`; the bold one where `bold`, else the
/// regular.
fn lookup(db: &fontdb::Database, name: &str, bold: bool) -> Option<fontdb::ID> {
    let want = if bold { 700 } else { 400 };
    db.faces()
        .filter(|f| f.families.iter().any(|(n, _)| n.eq_ignore_ascii_case(name)) && f.style == fontdb::Style::Normal)
        .min_by_key(|f| (i32::from(f.weight.0) - want).abs())
        .map(|f| f.id)
}

/// Any face with hanzi, the last resort.
fn any_hanzi_face(db: &fontdb::Database) -> Option<fontdb::ID> {
    db.faces().find(|f| db.with_face_data(f.id, |data, index| covers(data, index, '党')).unwrap_or(false)).map(|f| f.id)
}

fn covers(data: &[u8], index: u32, c: char) -> bool {
    use skrifa::MetadataProvider;
    skrifa::FontRef::from_index(data, index).ok().and_then(|f| f.charmap().map(c)).is_some()
}

fn load(db: &fontdb::Database, id: fontdb::ID) -> Result<Face, FontError> {
    let info = db.face(id).ok_or_else(|| FontError("字体库出错".into()))?;
    let family = info.families.iter().find(|(_, l)| *l == fontdb::Language::English_UnitedStates).or(info.families.first());
    let family = family.map(|(n, _)| n.clone()).unwrap_or_default();
    let (data, file) = match &info.source {
        fontdb::Source::File(p) => (std::fs::read(p).map_err(|e| FontError(format!("无法读取字体 {}：{e}", p.display())))?, p.clone()),
        _ => (db.with_face_data(id, |d, _| d.to_vec()).unwrap_or_default(), PathBuf::new()),
    };
    let data = Arc::new(data);
    let font = krilla::text::Font::new(krilla::Data::from(data.clone()), info.index)
        .ok_or_else(|| FontError(format!("字体 {} 无法使用（{}）", family, file.display())))?;
    Ok(Face { family, file, index: info.index, data, font, slot: 0 })
}
