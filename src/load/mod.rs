//! load: YAML and Excel → the typed, validated `model::Workspace`.
//! Knows nothing of templates or DOCX.

mod assessment;
pub mod cases_sheet;
pub mod check;
mod documents;
pub mod limits;
pub mod roster;
pub mod sheet;
pub mod workspace;
pub mod yaml;

pub use workspace::{LoadOptions, SETTINGS_FILE, load, load_files, load_with_options};
