//! A lifecycle as an SVG state diagram, laid out by evcat: the statuses in
//! a row, each event an arrow from the status it leaves to the status it
//! sets, labelled with its name. Arrows to the right arc above the row,
//! arrows to the left below it, each a little further out than the last so
//! labels do not overlap; an event allowed from any status starts at a
//! dashed "any" box before the first status.

use std::fmt::Write;

use super::text;
use crate::ir::Lifecycle;

const BOX_WIDTH: i64 = 130;
const BOX_HEIGHT: i64 = 34;
const GAP: i64 = 70;
const LANE: i64 = 26;

pub fn lifecycle(lifecycle: &Lifecycle) -> String {
    let mut nodes: Vec<String> = Vec::new();
    let has_any = lifecycle
        .transitions
        .iter()
        .any(|transition| transition.from.is_none());
    if has_any {
        nodes.push("any".to_owned());
    }
    let first_state = nodes.len();
    nodes.extend(lifecycle.states.iter().cloned());
    let x_of = |index: usize| 20 + index as i64 * (BOX_WIDTH + GAP);
    let index_of = |state: &str| {
        nodes[first_state..]
            .iter()
            .position(|known| known == state)
            .map(|position| position + first_state)
    };
    // (from, to, label, lane): lanes count outward, above for rightward
    // arrows and below for the others.
    let mut edges: Vec<(usize, usize, &str, i64)> = Vec::new();
    let (mut above, mut below) = (0, 0);
    for transition in &lifecycle.transitions {
        let from = match &transition.from {
            Some(state) => index_of(state),
            None => Some(0),
        };
        let (Some(from), Some(to)) = (from, index_of(&transition.to)) else {
            continue;
        };
        let lane = if to > from {
            above += 1;
            above
        } else {
            below += 1;
            -below
        };
        edges.push((from, to, transition.event.as_str(), lane));
    }
    let row_y = 30 + above * LANE;
    let width = x_of(nodes.len()) - GAP + 20;
    let height = row_y + BOX_HEIGHT + below * LANE + 30;
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" aria-label=\"{} lifecycle\">",
        text(&lifecycle.family)
    );
    svg.push_str("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0 0L10 5L0 10z\" fill=\"#5b6474\"/></marker></defs>\n");
    for (index, node) in nodes.iter().enumerate() {
        let any = has_any && index == 0;
        let _ = writeln!(
            svg,
            "<g class=\"state{}\" data-state=\"{}\"><rect x=\"{}\" y=\"{row_y}\" width=\"{BOX_WIDTH}\" height=\"{BOX_HEIGHT}\" rx=\"8\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text></g>",
            if any { " any" } else { "" },
            text(node),
            x_of(index),
            x_of(index) + BOX_WIDTH / 2,
            row_y + BOX_HEIGHT / 2 + 4,
            if any { "any status".to_owned() } else { text(node) }
        );
    }
    for (from, to, label, lane) in edges {
        let (start_x, end_x) = if from == to {
            (x_of(from) + BOX_WIDTH / 3, x_of(to) + 2 * BOX_WIDTH / 3)
        } else {
            (x_of(from) + BOX_WIDTH / 2, x_of(to) + BOX_WIDTH / 2)
        };
        let (edge_y, bend_y) = if lane > 0 {
            (row_y, row_y - lane * LANE)
        } else {
            (row_y + BOX_HEIGHT, row_y + BOX_HEIGHT - lane * LANE)
        };
        // A cubic whose control points share `bend_y` peaks three quarters
        // of the way there; the label sits just beyond the peak.
        let peak_y = edge_y + (bend_y - edge_y) * 3 / 4;
        let label_y = if lane > 0 { peak_y - 5 } else { peak_y + 14 };
        let _ = writeln!(
            svg,
            "<g class=\"edge\" data-transition=\"{}\"><path d=\"M{start_x} {edge_y} C{start_x} {bend_y} {end_x} {bend_y} {end_x} {edge_y}\" marker-end=\"url(#arrow)\"/><text x=\"{}\" y=\"{label_y}\" text-anchor=\"middle\">{}</text></g>",
            text(label),
            (start_x + end_x) / 2,
            text(label)
        );
    }
    svg.push_str("</svg>\n");
    svg
}
