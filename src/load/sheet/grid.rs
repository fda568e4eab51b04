//! A sheet as its non-empty cells, bounded while it is read, and merged regions applied to it.

use super::super::limits::{MAX_CELLS, MAX_COLUMNS, MAX_RECORDS};
use super::Merge;
use super::budget::TextBudget;
use super::cell::Cell;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
use std::ops::ControlFlow;

/// The non-empty cells of a sheet (or of its first rows), by (row, column).
#[derive(Debug, Default)]
pub struct Grid {
    cells: BTreeMap<(u32, u32), Cell>,
}

impl Grid {
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    pub fn get(&self, row: u32, col: u32) -> Option<&Cell> {
        self.cells.get(&(row, col))
    }

    /// A cell's text; empty for an empty cell.
    pub fn text(&self, row: u32, col: u32) -> &str {
        self.get(row, col).map_or("", Cell::text)
    }

    /// The cells of a row, by column.
    pub fn row(&self, row: u32) -> impl Iterator<Item = (u32, &Cell)> {
        self.cells.range((row, 0)..=(row, u32::MAX)).map(|(&(_, c), d)| (c, d))
    }

    /// Every non-empty cell, row by row.
    pub fn cells(&self) -> impl Iterator<Item = ((u32, u32), &Cell)> {
        self.cells.iter().map(|(&at, c)| (at, c))
    }

    /// Distinct row indices with content, in order.
    pub fn row_indices(&self) -> Vec<u32> {
        let mut rows: Vec<u32> = self.cells.keys().map(|&(r, _)| r).collect();
        rows.dedup();
        rows
    }

    /// The top-left corner of the used area: the first row with content and the leftmost column
    /// with content in any row.
    pub fn start(&self) -> Option<(u32, u32)> {
        let first_row = self.cells.keys().next()?.0;
        Some((first_row, self.cells.keys().map(|&(_, c)| c).min()?))
    }

    /// `merges` clipped to the used area: a region reaching past the last row or column with
    /// content covers nothing more, and one that starts past them nothing at all.
    pub fn clip(&self, merges: &[Merge]) -> Vec<Merge> {
        let Some(&(last_row, _)) = self.cells.keys().next_back() else { return Vec::new() };
        let last_col = self.cells.keys().map(|&(_, c)| c).max().unwrap_or(0);
        merges
            .iter()
            .filter(|m| m.first.0 <= last_row && m.first.1 <= last_col)
            .map(|m| Merge { first: m.first, last: (m.last.0.min(last_row), m.last.1.min(last_col)) })
            .filter(|m| m.first != m.last)
            .collect()
    }

    /// A value merged over several cells applies to each of them (a 类别 for a group of units),
    /// in the given columns, from `from_row` on. Only rows that hold something else are filled,
    /// so a merge dragged down an empty column does not invent rows. Each cell is looked at once
    /// however many regions cover it (the innermost, latest-starting region wins), so the work
    /// is the cells filled plus the regions, never rows × regions.
    pub fn fill_merges(&mut self, merges: &[Merge], from_row: u32, columns: &[u32]) {
        let used: Vec<u32> = self.row_indices().into_iter().filter(|&r| r >= from_row).collect();
        // The values, as the file has them, before any region is filled in.
        let sources: Vec<Option<Cell>> = merges.iter().map(|m| self.get(m.first.0, m.first.1).cloned()).collect();
        let mut fills = Vec::new();
        for &c in columns {
            let mut spans: Vec<(u32, u32, usize)> = merges
                .iter()
                .enumerate()
                .filter(|(i, m)| m.first.0 >= from_row && m.first.1 <= c && c <= m.last.1 && sources[*i].is_some())
                .map(|(i, m)| (m.first.0, m.last.0, i))
                .collect();
            spans.sort_unstable();
            let mut open: BinaryHeap<(u32, Reverse<usize>)> = BinaryHeap::new(); // (first row, index)
            let mut next = 0;
            for &r in &used {
                while next < spans.len() && spans[next].0 <= r {
                    open.push((spans[next].0, Reverse(next)));
                    next += 1;
                }
                while open.peek().is_some_and(|&(_, Reverse(i))| spans[i].1 < r) {
                    open.pop();
                }
                if let Some(&(_, Reverse(i))) = open.peek() {
                    fills.push((r, c, spans[i].2));
                }
            }
        }
        for (r, c, i) in fills {
            if let Some(value) = &sources[i] {
                self.cells.entry((r, c)).or_insert_with(|| value.clone());
            }
        }
    }
}

/// The used area row by row, as calamine's range presents a sheet: row 0 is the first row with
/// content, column 0 the leftmost column with content, and rows without content are there too.
/// A view: nothing is copied.
pub struct Table<'a> {
    grid: &'a Grid,
    start: (u32, u32),
    rows: u32,
    width: u32,
}

/// One row of a `Table`.
#[derive(Clone, Copy)]
pub struct TableRow<'a> {
    grid: &'a Grid,
    row: u32,
    first_col: u32,
    width: u32,
}

impl<'a> Table<'a> {
    pub fn start(&self) -> (u32, u32) {
        self.start
    }

    pub fn rows(&self) -> impl Iterator<Item = TableRow<'a>> + use<'a> {
        let (grid, (r0, c0), width) = (self.grid, self.start, self.width);
        (0..self.rows).map(move |i| TableRow { grid, row: r0 + i, first_col: c0, width })
    }
}

impl<'a> TableRow<'a> {
    /// The cell `i` columns right of the table's first; `None` when empty.
    pub fn get(&self, i: usize) -> Option<&'a Cell> {
        let i = u32::try_from(i).ok().filter(|&i| i < self.width)?;
        self.grid.get(self.row, self.first_col + i)
    }

    /// Every cell of the row across the table's width, empty ones as `None`.
    pub fn cells(&self) -> impl Iterator<Item = Option<&'a Cell>> + use<'a> {
        let (grid, row, c0) = (self.grid, self.row, self.first_col);
        (0..self.width).map(move |i| grid.get(row, c0 + i))
    }
}

impl Grid {
    /// The grid as a table of its used area.
    pub fn table(&self) -> Table<'_> {
        let Some(start) = self.start() else { return Table { grid: self, start: (0, 0), rows: 0, width: 0 } };
        let last_row = self.cells.keys().next_back().map_or(start.0, |&(r, _)| r);
        let last_col = self.cells.keys().map(|&(_, c)| c).max().unwrap_or(start.1);
        Table { grid: self, start, rows: last_row - start.0 + 1, width: last_col - start.1 + 1 }
    }
}

/// Collects cells into a grid while a sheet is read, and stops it where the sheet leaves the
/// bounds (or, reading only the head of a sheet, after its first rows).
pub(super) struct Sink {
    pub grid: Grid,
    head: Option<usize>,
    rows: usize,
    last_row: Option<u32>,
    /// The first cell found past the bounds of rows, columns and cells.
    pub over: Option<(u32, u32)>,
    budget: TextBudget,
    /// The cell whose text passed `MAX_TOTAL_TEXT_CHARS`.
    pub over_text: Option<(u32, u32)>,
}

impl Sink {
    pub fn new(head: Option<usize>) -> Sink {
        Sink { grid: Grid::default(), head, rows: 0, last_row: None, over: None, budget: TextBudget::default(), over_text: None }
    }

    /// Takes a non-empty cell. `chars` is its text's length when calamine holds it as text: it is
    /// charged before `build` copies it (a shared string is copied once per cell using it). Other
    /// values are short and measured once built.
    pub fn take(&mut self, row: u32, col: u32, chars: Option<usize>, build: impl FnOnce() -> Option<Cell>) -> ControlFlow<()> {
        if self.last_row != Some(row) {
            if self.head.is_some_and(|h| self.rows >= h) {
                return ControlFlow::Break(());
            }
            self.rows += 1;
            self.last_row = Some(row);
        }
        if row as usize >= MAX_RECORDS || col >= MAX_COLUMNS || self.grid.cells.len() >= MAX_CELLS {
            self.over = Some((row, col));
            return ControlFlow::Break(());
        }
        if let Some(n) = chars {
            self.charge(row, col, n)?;
        }
        let Some(cell) = build() else { return ControlFlow::Continue(()) };
        if chars.is_none() {
            self.charge(row, col, cell.text().chars().count())?;
        }
        self.grid.cells.insert((row, col), cell);
        ControlFlow::Continue(())
    }

    fn charge(&mut self, row: u32, col: u32, chars: usize) -> ControlFlow<()> {
        if self.budget.charge(chars as u64, 1).is_err() {
            self.over_text = Some((row, col));
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::cell::CellKind;
    use super::*;

    fn grid(cells: &[(u32, u32, &str)]) -> Grid {
        let mut sink = Sink::new(None);
        for &(r, c, t) in cells {
            let _ = sink.take(r, c, Some(t.chars().count()), || Some(Cell::new(CellKind::Text, t.into())));
        }
        sink.grid
    }

    fn merge(first: (u32, u32), last: (u32, u32)) -> Merge {
        Merge { first, last }
    }

    #[test]
    fn merged_values_fill_used_rows_only() {
        // 类别 merged down rows 1–4 of column 1; row 3 is blank and stays so.
        let mut g = grid(&[(1, 0, "甲"), (1, 1, "处室"), (2, 0, "乙"), (4, 0, "丁"), (6, 0, "己")]);
        g.fill_merges(&[merge((1, 1), (4, 1))], 1, &[0, 1]);
        let column: Vec<&str> = [1, 2, 3, 4, 6].iter().map(|&r| g.text(r, 1)).collect();
        assert_eq!(column, ["处室", "处室", "", "处室", ""]);
        assert!(g.get(3, 1).is_none(), "a blank row is not invented");
    }

    #[test]
    fn nested_and_repeated_regions_fill_each_cell_once() {
        let mut g = grid(&[(0, 0, "外"), (2, 0, "内"), (1, 1, "x"), (2, 1, "x"), (3, 1, "x"), (5, 1, "x")]);
        let outer = merge((0, 0), (5, 0));
        let inner = merge((2, 0), (3, 0));
        let merges: Vec<Merge> = std::iter::repeat_n(outer, 1000).chain([inner]).collect();
        g.fill_merges(&merges, 0, &[0]);
        let column: Vec<&str> = [1, 2, 3, 5].iter().map(|&r| g.text(r, 0)).collect();
        assert_eq!(column, ["外", "内", "内", "外"]);
    }

    #[test]
    fn regions_are_clipped_to_the_used_area() {
        let g = grid(&[(0, 0, "单位名称"), (1, 4, "x")]);
        let clipped = g.clip(&[merge((0, 4), (0, 2_147_483_647)), merge((0, 9), (0, 12)), merge((0, 0), (9_999, 0))]);
        assert_eq!(clipped, [merge((0, 0), (1, 0))], "E1:FXSHRXW1 shrinks to one cell and is dropped; J1:M1 starts past the last column");
    }
}
