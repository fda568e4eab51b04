//! load: YAML and Excel → the typed, validated `model::Workspace`.
//! Knows nothing of templates or DOCX.

mod assessment;
pub mod cases;
pub mod cases_sheet;
pub mod check;
mod cross;
mod documents;
pub mod limits;
pub mod roster;
mod settings;
pub mod sheet;
mod unit_kinds;
mod units;
pub mod words;
pub mod workspace;
pub mod yaml;

pub use settings::DataFile;
pub use unit_kinds::{settings_kinds, workspace_kinds};
pub use units::UnitList;
pub use workspace::{LoadOptions, SETTINGS_FILE, Scope, UnitsFrom, load, load_files, load_with_options};
