//! Bounds on one render, so that a template cannot run or grow without end.
//!
//! (Not in upstream Tera 2.4.0: added so that an application rendering templates written by its
//! users can stop a runaway one with an error instead of running for hours or aborting on a
//! failed allocation.)
//!
//! The interpreter keeps a [`Meter`] per render, shared by the includes and components it runs.
//! Every instruction is one step; work that scans a string or a collection costs one step per
//! byte or element as well. Every string, list or map the render builds — text written to the
//! output or to a `{% set %}` capture, `~`, list and map literals, filter and function results —
//! is charged to the memory budget by its size *before* it is allocated where the size is known
//! in advance (`~`, writes, the filters whose output can grow faster than their input), and
//! right after otherwise (then it can exceed the budget by at most a small multiple of values
//! that were themselves charged). Shared parts of a value are charged each time they are shared,
//! so a value built by nesting a list in itself cannot grow exponentially in size while staying
//! small in memory.
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::Value;
use crate::value::ValueInner;

/// Bounds on one render. The default bounds nothing, as upstream Tera.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Steps a render may take: one per instruction, plus one per byte or element of the
    /// strings and collections an instruction scans (comparisons, filters, iterating a map).
    pub max_steps: u64,
    /// Bytes a render may build in total over its run: output and captured text, strings made
    /// by `~` and filters, and `size_of::<Value>()` per element of the lists and maps it builds.
    pub max_memory: u64,
    /// How deeply lists and maps built by a render may nest.
    pub max_nesting: usize,
    /// Wall-clock time a render may take; checked every few thousand instructions.
    pub max_time: Option<Duration>,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_steps: u64::MAX,
            max_memory: u64::MAX,
            max_nesting: usize::MAX,
            max_time: None,
        }
    }
}

/// Which of the [`Limits`] a render ran into, with the bound that was set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Limit {
    /// More steps than `max_steps`.
    Steps(u64),
    /// More bytes built than `max_memory`.
    Memory(u64),
    /// Lists or maps nested deeper than `max_nesting`.
    Nesting(usize),
    /// Longer than `max_time`.
    Time(Duration),
}

impl std::fmt::Display for Limit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Limit::Steps(n) => write!(f, "the render took more than {n} steps"),
            Limit::Memory(n) => write!(f, "the render built more than {n} bytes"),
            Limit::Nesting(n) => write!(f, "a value nests lists or maps more than {n} deep"),
            Limit::Time(t) => write!(f, "the render took longer than {t:?}"),
        }
    }
}

/// Steps a component call or an include costs besides its instructions: each sets up a new
/// scope and output buffer, measured at about as long as 200 plain instructions.
pub(crate) const CALL_STEPS: u64 = 200;

/// How often, in instructions, the clock is read.
const TIME_CHECK_INTERVAL: u64 = 4096;

/// The running account of one render against its [`Limits`].
/// Atomics (relaxed, one thread at a time) only so that `State` stays `Send + Sync`.
#[derive(Debug)]
pub(crate) struct Meter {
    limits: Limits,
    steps: AtomicU64,
    memory: AtomicU64,
    instructions: AtomicU64,
    started: Instant,
}

impl Meter {
    pub(crate) fn new(limits: Limits) -> Self {
        Self {
            limits,
            steps: AtomicU64::new(0),
            memory: AtomicU64::new(0),
            instructions: AtomicU64::new(0),
            started: Instant::now(),
        }
    }

    /// One instruction: one step, and now and then a look at the clock.
    #[inline]
    pub(crate) fn instruction(&self) -> Result<(), Limit> {
        let n = self.instructions.load(Ordering::Relaxed) + 1;
        self.instructions.store(n, Ordering::Relaxed);
        if n % TIME_CHECK_INTERVAL == 0
            && let Some(max) = self.limits.max_time
            && self.started.elapsed() > max
        {
            return Err(Limit::Time(max));
        }
        self.work(1)
    }

    /// `n` steps of work.
    #[inline]
    pub(crate) fn work(&self, n: u64) -> Result<(), Limit> {
        let total = self.steps.load(Ordering::Relaxed).saturating_add(n);
        self.steps.store(total, Ordering::Relaxed);
        if total > self.limits.max_steps {
            return Err(Limit::Steps(self.limits.max_steps));
        }
        Ok(())
    }

    /// `n` bytes about to be built (or just built).
    #[inline]
    pub(crate) fn alloc(&self, n: u64) -> Result<(), Limit> {
        let total = self.memory.load(Ordering::Relaxed).saturating_add(n);
        self.memory.store(total, Ordering::Relaxed);
        if total > self.limits.max_memory {
            return Err(Limit::Memory(self.limits.max_memory));
        }
        Ok(())
    }

    /// What is left of the memory budget.
    pub(crate) fn memory_left(&self) -> u64 {
        self.limits
            .max_memory
            .saturating_sub(self.memory.load(Ordering::Relaxed))
    }

    pub(crate) fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Measures a value (the walk is charged as work): refuses one that nests too deeply or
    /// whose size, counting shared parts each time, exceeds the whole memory budget. Returns
    /// that size.
    pub(crate) fn check_value(&self, value: &Value) -> Result<u64, Limit> {
        let max = self.limits.max_memory;
        let size = footprint(value, max, self.limits.max_nesting)?;
        self.work(size.elements)?;
        if size.bytes > max {
            return Err(Limit::Memory(max));
        }
        Ok(size.bytes)
    }

    /// Charges a list, map or string an instruction just built from values that exist already:
    /// its own elements (or bytes), not the shared ones inside.
    pub(crate) fn built_shallow(&self, value: &Value) -> Result<(), Limit> {
        self.check_value(value)?;
        let own = match &value.inner {
            ValueInner::Map(_) => scan_cost(value) * 2 * ELEMENT_BYTES,
            ValueInner::Array(_) => scan_cost(value) * ELEMENT_BYTES,
            _ => scan_cost(value),
        };
        self.alloc(own)
    }

    /// Charges a value a filter or function returned: all of it, since it may have copied any
    /// part.
    pub(crate) fn built_deep(&self, value: &Value) -> Result<(), Limit> {
        let size = self.check_value(value)?;
        self.alloc(size)
    }
}

/// What one element of a list or map costs, besides the text it holds.
pub(crate) const ELEMENT_BYTES: u64 = std::mem::size_of::<Value>() as u64;

/// The size of a value as if nothing in it were shared.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Footprint {
    /// Its strings' bytes plus `ELEMENT_BYTES` per element.
    pub(crate) bytes: u64,
    /// Elements visited to measure it.
    pub(crate) elements: u64,
}

/// Measures `value`, stopping once past `cap` bytes (the result is then more than `cap`), so
/// that measuring costs no more than the budget it is measured against.
pub(crate) fn footprint(value: &Value, cap: u64, max_nesting: usize) -> Result<Footprint, Limit> {
    fn walk(
        value: &Value,
        depth: usize,
        size: &mut Footprint,
        cap: u64,
        max_nesting: usize,
    ) -> Result<(), Limit> {
        size.elements += 1;
        size.bytes = size.bytes.saturating_add(ELEMENT_BYTES);
        match &value.inner {
            ValueInner::String(s) => size.bytes = size.bytes.saturating_add(s.len() as u64),
            ValueInner::Bytes(b) => size.bytes = size.bytes.saturating_add(b.len() as u64),
            ValueInner::Array(items) => {
                if depth >= max_nesting {
                    return Err(Limit::Nesting(max_nesting));
                }
                for item in items.iter() {
                    if size.bytes > cap {
                        return Ok(());
                    }
                    walk(item, depth + 1, size, cap, max_nesting)?;
                }
            }
            ValueInner::Map(map) => {
                if depth >= max_nesting {
                    return Err(Limit::Nesting(max_nesting));
                }
                for (key, item) in map.iter() {
                    if size.bytes > cap {
                        return Ok(());
                    }
                    size.bytes = size.bytes.saturating_add(ELEMENT_BYTES);
                    if let Some(k) = key.as_str() {
                        size.bytes = size.bytes.saturating_add(k.len() as u64);
                    }
                    walk(item, depth + 1, size, cap, max_nesting)?;
                }
            }
            _ => {}
        }
        Ok(())
    }
    let mut size = Footprint::default();
    walk(value, 0, &mut size, cap, max_nesting)?;
    Ok(size)
}

/// How much work scanning a value once costs: its length in bytes or elements.
pub(crate) fn scan_cost(value: &Value) -> u64 {
    match &value.inner {
        ValueInner::String(s) => s.len() as u64,
        ValueInner::Bytes(b) => b.len() as u64,
        ValueInner::Array(items) => items.len() as u64,
        ValueInner::Map(map) => map.len() as u64,
        _ => 0,
    }
}

/// A writer that refuses to hold more than `cap` bytes: formats a value without first
/// knowing how long its text will be.
pub(crate) struct CappedWriter<'a> {
    buf: &'a mut Vec<u8>,
    cap: u64,
}

impl<'a> CappedWriter<'a> {
    pub(crate) fn new(buf: &'a mut Vec<u8>, cap: u64) -> Self {
        Self { buf, cap }
    }
}

impl std::io::Write for CappedWriter<'_> {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        if (self.buf.len() + data.len()) as u64 > self.cap {
            return Err(std::io::Error::other("capped"));
        }
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Context, ErrorKind, Tera};

    fn limited(tpl: &str, limits: Limits) -> crate::Error {
        let mut tera = Tera::default();
        tera.set_limits(limits);
        tera.add_raw_template("t.xml", tpl).unwrap();
        tera.render("t.xml", &Context::new()).unwrap_err()
    }

    fn bounded() -> Limits {
        Limits {
            max_steps: 1_000_000,
            max_memory: 8 << 20,
            max_nesting: 32,
            max_time: None,
        }
    }

    /// The limit hit and where: (line, column 0-based, the source there).
    fn hit(err: &crate::Error) -> (Limit, usize, usize, String) {
        match err.kind() {
            ErrorKind::LimitExceeded { limit, report } => {
                let span = report.span();
                (
                    *limit,
                    span.start_line,
                    span.start_col,
                    report.source[span.range.clone()].to_string(),
                )
            }
            other => panic!("not a limit: {other}"),
        }
    }

    #[test]
    fn a_nested_loop_without_output_stops_at_the_inner_loop() {
        let err = limited(
            "x\n{% for i in range(end=100000) %}\n  {% for j in range(end=100000) %}{% endfor %}{% endfor %}",
            bounded(),
        );
        let (limit, line, col, text) = hit(&err);
        assert_eq!(limit, Limit::Steps(1_000_000));
        assert_eq!((line, col), (3, 14));
        assert_eq!(text, "range(end=100000)");
    }

    #[test]
    fn a_doubling_string_stops_before_it_is_built() {
        let err = limited(
            "{% set s = \"x\" %}{% for i in range(end=64) %}{% set_global s = s ~ s %}{% endfor %}",
            bounded(),
        );
        let (limit, _, _, text) = hit(&err);
        assert_eq!(limit, Limit::Memory(8 << 20));
        assert_eq!(text, "s ~ s");
    }

    #[test]
    fn a_doubling_capture_stops() {
        let err = limited(
            "{% set s = \"x\" %}{% for i in range(end=64) %}{% set_global s %}{{ s }}{{ s }}{% endset %}{% endfor %}",
            bounded(),
        );
        assert_eq!(hit(&err).0, Limit::Memory(8 << 20));
    }

    #[test]
    fn a_list_that_holds_itself_twice_stops_though_it_is_shared() {
        // Each step shares the previous list: tiny in memory, 2^60 items to print or compare.
        let err = limited(
            "{% set l = [1] %}{% for i in range(end=60) %}{% set_global l = [l, l] %}{% endfor %}{{ l == l }}",
            bounded(),
        );
        assert_eq!(hit(&err).0, Limit::Memory(8 << 20));
    }

    #[test]
    fn deep_nesting_stops() {
        let err = limited(
            "{% set l = [1] %}{% for i in range(end=1000) %}{% set_global l = [l] %}{% endfor %}",
            bounded(),
        );
        assert_eq!(hit(&err).0, Limit::Nesting(32));
    }

    #[test]
    fn growing_filters_are_charged_before_they_build() {
        let blowups = [
            "{% set s = \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\" %}{% for i in range(end=8) %}{% set_global s = s | replace(from=\"x\", to=s) %}{% endfor %}",
            "{% set s = \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\" %}{% for i in range(end=30) %}{% set_global s = range(end=1000) | join(sep=s) %}{% endfor %}",
            "{% set s = \"x\" %}{% for i in range(end=30) %}{% set_global s = s | split(pat=\"\") | join(sep=s) %}{% endfor %}",
        ];
        for tpl in blowups {
            assert_eq!(
                hit(&limited(tpl, bounded())).0,
                Limit::Memory(8 << 20),
                "{tpl}"
            );
        }
    }

    #[test]
    fn quadratic_filters_are_charged_as_work() {
        let err = limited("{{ range(end=100000) | unique | length }}", bounded());
        assert_eq!(hit(&err).0, Limit::Steps(1_000_000));
    }

    #[test]
    fn components_calling_themselves_twice_stop() {
        let mut tera = Tera::default();
        tera.set_limits(bounded());
        tera.add_raw_templates(vec![
            (
                "components",
                "{% component fan(n: integer) %}{% if n > 0 %}{{ <fan n={n - 1} /> }}{{ <fan n={n - 1} /> }}{{ <fan n={n - 1} /> }}{% endif %}{% endcomponent fan %}",
            ),
            ("t.xml", "{% for i in range(end=2) %}{{ <fan n={19} /> }}{% endfor %}"),
        ])
        .unwrap();
        let err = tera.render("t.xml", &Context::new()).unwrap_err();
        assert_eq!(hit(&err).0, Limit::Steps(1_000_000));
    }

    #[test]
    fn an_include_in_a_loop_is_charged_and_points_at_the_loop() {
        let mut tera = Tera::default();
        tera.set_limits(bounded());
        tera.add_raw_templates(vec![
            (
                "inner.xml",
                "{% set a = [1, 2] %}{% set b = a %}{% set c = a %}{% set d = a %}",
            ),
            (
                "t.xml",
                "{% for i in range(end=100000) %}{% include \"inner.xml\" %}{% endfor %}",
            ),
        ])
        .unwrap();
        let err = tera.render("t.xml", &Context::new()).unwrap_err();
        let (limit, _, _, text) = hit(&err);
        assert_eq!(limit, Limit::Steps(1_000_000));
        assert_eq!(text, "range(end=100000)");
    }

    #[test]
    fn time_is_checked_between_instructions() {
        let limits = Limits {
            max_time: Some(Duration::ZERO),
            ..Limits::default()
        };
        let err = limited("{% for i in range(end=100000) %}{% endfor %}", limits);
        assert_eq!(hit(&err).0, Limit::Time(Duration::ZERO));
    }

    #[test]
    fn within_limits_output_is_unchanged() {
        let tpl = "{% set xs = [1, \"a\", {\"k\": [2, 3]}] %}{{ xs }}|{{ 1.5 }}|{% for x in xs %}{{ x ~ \"-\" }}{% endfor %}|{{ \"a,b\" | split(pat=\",\") | join(sep=\"+\") }}|{{ xs | str }}|{{ [3, 1, 2] | sort | unique }}";
        let mut plain = Tera::default();
        plain.add_raw_template("t.xml", tpl).unwrap();
        let mut tera = Tera::default();
        tera.set_limits(bounded());
        tera.add_raw_template("t.xml", tpl).unwrap();
        let ctx = Context::new();
        assert_eq!(
            tera.render("t.xml", &ctx).unwrap(),
            plain.render("t.xml", &ctx).unwrap()
        );
    }
}
