//! What rendering one document may cost. Templates are the office's own files, so a typo (a loop
//! over the wrong list, a variable that keeps growing) must end in a located message, never in a
//! run that does not finish or a process that runs out of memory.
//!
//! Measured on the built-in templates: the largest sample document (an assessment table) takes
//! about 840 steps and builds about 6 KB; a 责任书 about 200 steps and 4 KB. Each bound below
//! leaves room for documents thousands of times larger, and stops a runaway template in well
//! under a second.

use std::time::Duration;

/// Steps one render may take: one per template instruction, plus one per byte or item a
/// comparison, filter or loop start scans. Ten million is about 12,000 times the largest sample
/// and a fraction of a second of work.
pub const MAX_STEPS: u64 = 10_000_000;

/// Bytes one render may build over its run: its output, text captured by `{% set %}…{% endset %}`,
/// strings made by `~` and filters, lists and maps. Counted as built, never given back, so it
/// also bounds the work of copying. A document's output is itself capped at `MAX_RENDERED`.
pub const MAX_MEMORY: u64 = 32 << 20;

/// How deeply lists and maps built by a template may nest (our data nests about 5 deep).
pub const MAX_NESTING: usize = 32;

/// Wall-clock time one render may take: a backstop for work the step count does not see;
/// the step bound stops a runaway loop long before it.
pub const MAX_TIME: Duration = Duration::from_secs(10);

/// The most one document's markup may come to. A sample 责任书 is about 4 KB (a full one about
/// 20 KB) and a 100-row assessment table about 50 KB; layout needs about 20 bytes of memory per
/// byte of text, more per paragraph (`markup::limits`).
pub const MAX_RENDERED: usize = 4 << 20;

/// The largest template file read: the built-in ones are 1–3 KB.
pub const MAX_TEMPLATE_BYTES: u64 = 1 << 20;

/// The bounds handed to Tera for every render.
pub fn tera_limits() -> tera::Limits {
    tera::Limits { max_steps: MAX_STEPS, max_memory: MAX_MEMORY, max_nesting: MAX_NESTING, max_time: Some(MAX_TIME) }
}
