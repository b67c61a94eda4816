//! Auto-layout, layered left to right (a simplified Sugiyama): a stage's column is its longest
//! path from a source, the order within a column comes from barycenter sweeps that reduce
//! edge crossings, and columns and rows are evenly spaced. Same document in, same positions out.

use std::collections::{BTreeMap, BTreeSet};

use model::{DataflowDocument, EdgeEnd, Position};

use super::geometry::{Point, stage_height};
use super::ports::port_list;

/// Distance between the left edges of neighbouring columns (a 160 px box plus room for edges).
pub const COLUMN_SPACING: f64 = 220.0;
/// Distance between the tops of neighbouring boxes in a column, for boxes of the usual height.
pub const ROW_SPACING: f64 = 100.0;
/// Least free space below a box taller than usual (a route with many outputs).
pub const ROW_GAP: f64 = 44.0;
/// Where the first column's top-most box may start.
pub const ORIGIN: Point = Point::new(40.0, 40.0);
/// How far each further stage added at the same spot is shifted right and down.
pub const CASCADE: f64 = 24.0;
/// Barycenter sweeps, alternately left to right and right to left; more rarely help.
const SWEEPS: usize = 8;

/// The stage-level graph: ids in document order (first of repeated ids), edges by index.
struct Graph<'d> {
    ids: Vec<&'d str>,
    next: Vec<Vec<usize>>,
    prev: Vec<Vec<usize>>,
}

impl<'d> Graph<'d> {
    fn new(doc: &'d DataflowDocument) -> Self {
        let mut index: BTreeMap<&str, usize> = BTreeMap::new();
        let mut ids = Vec::new();
        for stage in &doc.stages {
            index.entry(stage.id.as_str()).or_insert_with(|| {
                ids.push(stage.id.as_str());
                ids.len() - 1
            });
        }
        let mut pairs = BTreeSet::new();
        for edge in &doc.edges {
            let from = index.get(EdgeEnd::parse(&edge.from).stage);
            let to = index.get(EdgeEnd::parse(&edge.to).stage);
            if let (Some(&from), Some(&to)) = (from, to)
                && from != to
            {
                pairs.insert((from, to));
            }
        }
        let (mut next, mut prev) = (vec![Vec::new(); ids.len()], vec![Vec::new(); ids.len()]);
        for (from, to) in pairs {
            next[from].push(to);
            prev[to].push(from);
        }
        Self { ids, next, prev }
    }

    /// Each stage's column: 0 for sources, else one more than its furthest predecessor.
    /// Kahn's order, lowest index first; stages on a cycle are taken in index order when
    /// nothing else is ready, so a broken document still gets a layout.
    fn layers(&self) -> Vec<usize> {
        let n = self.ids.len();
        let mut waiting: Vec<usize> = self.prev.iter().map(Vec::len).collect();
        let mut layer: Vec<Option<usize>> = vec![None; n];
        let mut ready: BTreeSet<usize> = (0..n).filter(|&v| waiting[v] == 0).collect();
        let mut remaining: BTreeSet<usize> = (0..n).collect();
        while let Some(v) = ready.pop_first().or_else(|| remaining.first().copied()) {
            remaining.remove(&v);
            let deepest = self.prev[v].iter().filter_map(|&u| layer[u]).max();
            layer[v] = Some(deepest.map_or(0, |d| d + 1));
            for &w in &self.next[v] {
                waiting[w] = waiting[w].saturating_sub(1);
                if waiting[w] == 0 && layer[w].is_none() {
                    ready.insert(w);
                }
            }
        }
        layer.into_iter().map(Option::unwrap_or_default).collect()
    }
}

/// A position for every stage (keyed by id), boxes never overlapping, sources left of sinks.
pub fn layout(doc: &DataflowDocument) -> BTreeMap<String, Position> {
    let graph = Graph::new(doc);
    let layers = graph.layers();
    let columns = order_columns(&graph, &layers);
    let heights: BTreeMap<&str, f64> =
        doc.stages.iter().map(|s| (s.id.as_str(), stage_height(&port_list(s, &doc.edges)))).collect();
    let pitch = |v: usize| {
        let height = heights.get(graph.ids[v]).copied().unwrap_or_default();
        ROW_SPACING.max(height + ROW_GAP)
    };
    let column_height = |column: &[usize]| column.iter().map(|&v| pitch(v)).sum::<f64>();
    let tallest = columns.iter().map(|c| column_height(c)).fold(0.0, f64::max);
    let mut positions = BTreeMap::new();
    for (layer, column) in columns.iter().enumerate() {
        let x = ORIGIN.x + layer as f64 * COLUMN_SPACING;
        // Columns are centred on the tallest, so a fan-out's source sits mid-way.
        let mut y = ORIGIN.y + (tallest - column_height(column)) / 2.0;
        for &v in column {
            positions.insert(graph.ids[v].to_owned(), Position { x, y });
            y += pitch(v);
        }
    }
    positions
}

/// Moves every stage of `doc` to its [`layout`] position.
pub fn apply(doc: &mut DataflowDocument) {
    let positions = layout(doc);
    for stage in &mut doc.stages {
        if let Some(position) = positions.get(&stage.id) {
            stage.position = *position;
        }
    }
}

/// Where a new box wanted at `wanted` goes: there, or shifted by [`CASCADE`] right and down
/// until no box starts at that spot, so stages added one after another at the centre of the
/// view fan out instead of hiding each other.
pub fn free_position(doc: &DataflowDocument, wanted: Position) -> Position {
    let taken = |p: Position| {
        doc.stages.iter().any(|s| (s.position.x - p.x).abs() < 1.0 && (s.position.y - p.y).abs() < 1.0)
    };
    let mut position = Position { x: wanted.x.round(), y: wanted.y.round() };
    // Each step leaves a spot some stage holds, so this ends after at most one step per stage.
    while taken(position) {
        position.x += CASCADE;
        position.y += CASCADE;
    }
    position
}

/// The stages of each column, top to bottom: document order first, then barycenter sweeps,
/// keeping the order with the fewest crossings between neighbouring columns.
fn order_columns(graph: &Graph<'_>, layers: &[usize]) -> Vec<Vec<usize>> {
    let count = layers.iter().max().map_or(0, |m| m + 1);
    let mut columns: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (v, &layer) in layers.iter().enumerate() {
        columns[layer].push(v);
    }
    let mut best = (crossings(graph, &columns), columns.clone());
    for sweep in 0..SWEEPS {
        let rightwards = sweep % 2 == 0;
        let order: Vec<usize> =
            if rightwards { (1..count).collect() } else { (0..count.saturating_sub(1)).rev().collect() };
        for layer in order {
            let coordinates = coordinates(&columns, graph.ids.len());
            let neighbours = if rightwards { &graph.prev } else { &graph.next };
            sort_by_barycenter(&mut columns[layer], neighbours, &coordinates);
        }
        let now = crossings(graph, &columns);
        if now < best.0 {
            best = (now, columns.clone());
        }
    }
    best.1
}

/// Each stage's place in its column, centred on 0 as the columns are drawn.
fn coordinates(columns: &[Vec<usize>], n: usize) -> Vec<f64> {
    let mut at = vec![0.0; n];
    for column in columns {
        let middle = (column.len() as f64 - 1.0) / 2.0;
        for (i, &v) in column.iter().enumerate() {
            at[v] = i as f64 - middle;
        }
    }
    at
}

/// Sorts `column` by the mean coordinate of each stage's `neighbours`; a stage without any
/// keeps its own coordinate. The sort is stable, so ties keep their order.
fn sort_by_barycenter(column: &mut [usize], neighbours: &[Vec<usize>], at: &[f64]) {
    let key = |v: usize| match neighbours[v].len() {
        0 => at[v],
        k => neighbours[v].iter().map(|&u| at[u]).sum::<f64>() / k as f64,
    };
    column.sort_by(|&a, &b| key(a).total_cmp(&key(b)));
}

/// Crossings among edges between neighbouring columns (longer edges are not counted).
fn crossings(graph: &Graph<'_>, columns: &[Vec<usize>]) -> usize {
    let mut place = vec![(0usize, 0usize); graph.ids.len()];
    for (layer, column) in columns.iter().enumerate() {
        for (i, &v) in column.iter().enumerate() {
            place[v] = (layer, i);
        }
    }
    let mut by_layer: Vec<Vec<(usize, usize)>> = vec![Vec::new(); columns.len()];
    for (from, targets) in graph.next.iter().enumerate() {
        for &to in targets {
            if place[to].0 == place[from].0 + 1 {
                by_layer[place[from].0].push((place[from].1, place[to].1));
            }
        }
    }
    by_layer
        .iter()
        .map(|edges| {
            let mut count = 0;
            for (i, a) in edges.iter().enumerate() {
                count += edges[i + 1..]
                    .iter()
                    .filter(|b| (a.0 < b.0 && a.1 > b.1) || (a.0 > b.0 && a.1 < b.1))
                    .count();
            }
            count
        })
        .sum()
}

#[cfg(test)]
mod tests;
