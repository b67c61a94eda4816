//! World-space geometry of the canvas: points, rectangles, stage box sizes, where ports sit on
//! a box, and the curve an edge is drawn along. World units are CSS pixels at zoom 1.

use super::ports::{PortDirection, PortList};

/// Width of every stage box.
pub const STAGE_WIDTH: f64 = 160.0;
/// Height of a stage box with up to two ports on a side; boxes with more grow by [`PORT_PITCH`].
pub const STAGE_HEIGHT: f64 = 56.0;
/// Vertical room each port needs, so that port circles and labels do not touch.
pub const PORT_PITCH: f64 = 18.0;
/// Radius of the circle drawn for a port (hit-testing uses a larger, zoom-aware radius).
pub const PORT_RADIUS: f64 = 5.0;

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

impl Point {
    pub const fn new(x: f64, y: f64) -> Self {
        Self { x, y }
    }

    pub fn offset(self, dx: f64, dy: f64) -> Self {
        Self::new(self.x + dx, self.y + dy)
    }

    pub fn distance(self, other: Point) -> f64 {
        (self.x - other.x).hypot(self.y - other.y)
    }

    /// Distance from `self` to the segment `a`–`b`.
    pub fn distance_to_segment(self, a: Point, b: Point) -> f64 {
        let (dx, dy) = (b.x - a.x, b.y - a.y);
        let length_squared = dx * dx + dy * dy;
        if length_squared == 0.0 {
            return self.distance(a);
        }
        let t = (((self.x - a.x) * dx + (self.y - a.y) * dy) / length_squared).clamp(0.0, 1.0);
        self.distance(Point::new(a.x + t * dx, a.y + t * dy))
    }
}

/// An axis-aligned rectangle; `width` and `height` are never negative.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    pub const fn new(x: f64, y: f64, width: f64, height: f64) -> Self {
        Self { x, y, width, height }
    }

    /// The rectangle spanned by two opposite corners in any order (a rubber band drag).
    pub fn from_corners(a: Point, b: Point) -> Self {
        Self::new(a.x.min(b.x), a.y.min(b.y), (a.x - b.x).abs(), (a.y - b.y).abs())
    }

    pub fn right(&self) -> f64 {
        self.x + self.width
    }

    pub fn bottom(&self) -> f64 {
        self.y + self.height
    }

    pub fn center(&self) -> Point {
        Point::new(self.x + self.width / 2.0, self.y + self.height / 2.0)
    }

    /// Boundary included: a click exactly on a box's border hits it.
    pub fn contains(&self, p: Point) -> bool {
        p.x >= self.x && p.x <= self.right() && p.y >= self.y && p.y <= self.bottom()
    }

    /// Whether `other` lies wholly inside (touching borders counts as inside).
    pub fn contains_rect(&self, other: &Rect) -> bool {
        other.x >= self.x
            && other.right() <= self.right()
            && other.y >= self.y
            && other.bottom() <= self.bottom()
    }

    /// Whether the interiors overlap; rectangles that only touch do not.
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.right() && other.x < self.right() && self.y < other.bottom() && other.y < self.bottom()
    }

    /// The smallest rectangle covering both.
    pub fn union(&self, other: &Rect) -> Rect {
        let (x, y) = (self.x.min(other.x), self.y.min(other.y));
        Rect::new(x, y, self.right().max(other.right()) - x, self.bottom().max(other.bottom()) - y)
    }
}

/// Height of a stage box that shows `ports`: tall enough for the busier side.
pub fn stage_height(ports: &PortList) -> f64 {
    STAGE_HEIGHT.max(PORT_PITCH * (ports.max_side() as f64 + 1.0))
}

/// Where port `index` of `count` on one side of `rect` sits: inputs on the left edge, outputs on
/// the right, spaced evenly so that one port sits at mid-height.
pub fn port_anchor(rect: &Rect, direction: PortDirection, index: usize, count: usize) -> Point {
    let x = match direction {
        PortDirection::Input => rect.x,
        PortDirection::Output => rect.right(),
    };
    let y = rect.y + rect.height * (index as f64 + 1.0) / (count as f64 + 1.0);
    Point::new(x, y)
}

/// The four control points of the cubic an edge follows from an output anchor to an input
/// anchor: it leaves rightwards and arrives from the left, bending more the farther apart the
/// ends are (at least 40 px, so short and backward edges still read as leaving and arriving).
pub fn edge_curve(from: Point, to: Point) -> [Point; 4] {
    let bend = ((to.x - from.x).abs() / 2.0).max(40.0);
    [from, from.offset(bend, 0.0), to.offset(-bend, 0.0), to]
}

/// The SVG path `d` of an edge: `M x y C c1x c1y, c2x c2y, x y`.
pub fn edge_path(from: Point, to: Point) -> String {
    let [a, b, c, d] = edge_curve(from, to);
    format!(
        "M {} {} C {} {}, {} {}, {} {}",
        num(a.x),
        num(a.y),
        num(b.x),
        num(b.y),
        num(c.x),
        num(c.y),
        num(d.x),
        num(d.y)
    )
}

/// `segments + 1` points along the edge curve, both ends included.
pub fn sample_edge(from: Point, to: Point, segments: usize) -> Vec<Point> {
    let [a, b, c, d] = edge_curve(from, to);
    let segments = segments.max(1);
    (0..=segments)
        .map(|i| {
            let t = i as f64 / segments as f64;
            let u = 1.0 - t;
            let (w0, w1, w2, w3) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
            Point::new(w0 * a.x + w1 * b.x + w2 * c.x + w3 * d.x, w0 * a.y + w1 * b.y + w2 * c.y + w3 * d.y)
        })
        .collect()
}

/// A coordinate for SVG text: at most two decimals, no trailing zeros, never `-0`.
pub fn num(v: f64) -> String {
    let rounded = (v * 100.0).round() / 100.0;
    let text = format!("{:.2}", if rounded == 0.0 { 0.0 } else { rounded });
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// Smallest zoom: a 300-stage dataflow still fits a laptop screen.
pub const MIN_ZOOM: f64 = 0.2;
/// Largest zoom.
pub const MAX_ZOOM: f64 = 3.0;

/// How the world is shown on screen: `screen = world * zoom + pan`. The canvas applies it as
/// the `transform` of the group holding every stage and edge.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Viewport {
    pub pan_x: f64,
    pub pan_y: f64,
    pub zoom: f64,
}

impl Default for Viewport {
    fn default() -> Self {
        Self { pan_x: 0.0, pan_y: 0.0, zoom: 1.0 }
    }
}

impl Viewport {
    pub fn to_screen(&self, world: Point) -> Point {
        Point::new(world.x * self.zoom + self.pan_x, world.y * self.zoom + self.pan_y)
    }

    pub fn to_world(&self, screen: Point) -> Point {
        Point::new((screen.x - self.pan_x) / self.zoom, (screen.y - self.pan_y) / self.zoom)
    }

    /// Moves the world by a screen distance (dragging the background).
    pub fn pan_by(&mut self, dx: f64, dy: f64) {
        self.pan_x += dx;
        self.pan_y += dy;
    }

    /// Multiplies the zoom by `factor`, clamped to [[`MIN_ZOOM`], [`MAX_ZOOM`]], keeping the
    /// world point under `screen` where it is (the mouse wheel zooms about the cursor).
    pub fn zoom_about(&mut self, screen: Point, factor: f64) {
        self.set_zoom_about(screen, self.zoom * factor);
    }

    /// Sets the zoom (clamped) keeping the world point under `screen` fixed.
    pub fn set_zoom_about(&mut self, screen: Point, zoom: f64) {
        let anchor = self.to_world(screen);
        self.zoom = if zoom.is_finite() { zoom.clamp(MIN_ZOOM, MAX_ZOOM) } else { self.zoom };
        self.pan_x = screen.x - anchor.x * self.zoom;
        self.pan_y = screen.y - anchor.y * self.zoom;
    }

    /// The viewport that shows `bounds` centred in a `width` × `height` screen with `margin`
    /// pixels to spare on every side. The zoom is at most 1, so a small dataflow is not blown
    /// up, and at least [`MIN_ZOOM`], so a huge one is centred rather than shrunk to dots.
    pub fn fit(bounds: &Rect, width: f64, height: f64, margin: f64) -> Self {
        let room_x = (width - 2.0 * margin).max(1.0);
        let room_y = (height - 2.0 * margin).max(1.0);
        let zoom = (room_x / bounds.width.max(1.0)).min(room_y / bounds.height.max(1.0)).clamp(MIN_ZOOM, 1.0);
        let center = bounds.center();
        Self { pan_x: width / 2.0 - center.x * zoom, pan_y: height / 2.0 - center.y * zoom, zoom }
    }

    /// The same zoom, panned so that world point `p` shows at the centre of a `width` ×
    /// `height` screen (a problem's stage brought into view).
    pub fn centered_on(&self, p: Point, width: f64, height: f64) -> Self {
        Self { pan_x: width / 2.0 - p.x * self.zoom, pan_y: height / 2.0 - p.y * self.zoom, zoom: self.zoom }
    }

    /// The world rectangle a `width` × `height` screen shows.
    pub fn visible_world(&self, width: f64, height: f64) -> Rect {
        Rect::from_corners(self.to_world(Point::new(0.0, 0.0)), self.to_world(Point::new(width, height)))
    }

    /// The SVG `transform` attribute value for the world group.
    pub fn svg_transform(&self) -> String {
        format!("translate({} {}) scale({})", num(self.pan_x), num(self.pan_y), num_fine(self.zoom))
    }
}

/// Zoom factors need more than two decimals to avoid visible jumps.
fn num_fine(v: f64) -> String {
    let text = format!("{:.4}", (v * 10_000.0).round() / 10_000.0);
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::designer::ports::PortInfo;

    fn ports(inputs: usize, outputs: usize) -> PortList {
        let port = |i: usize| PortInfo::new(&format!("p{i}"));
        PortList { inputs: (0..inputs).map(port).collect(), outputs: (0..outputs).map(port).collect() }
    }

    #[test]
    fn rect_containment_includes_the_border() {
        let r = Rect::new(10.0, 20.0, 160.0, 56.0);
        assert!(r.contains(Point::new(10.0, 20.0)));
        assert!(r.contains(Point::new(170.0, 76.0)));
        assert!(!r.contains(Point::new(170.01, 76.0)));
        assert!(!r.contains(Point::new(9.99, 40.0)));
        assert!(r.contains_rect(&Rect::new(10.0, 20.0, 160.0, 56.0)));
        assert!(!r.contains_rect(&Rect::new(10.0, 20.0, 160.5, 56.0)));
    }

    #[test]
    fn touching_rects_do_not_overlap() {
        let a = Rect::new(0.0, 0.0, 160.0, 56.0);
        assert!(!a.overlaps(&Rect::new(160.0, 0.0, 160.0, 56.0)));
        assert!(a.overlaps(&Rect::new(159.0, 55.0, 10.0, 10.0)));
        assert_eq!(a.union(&Rect::new(200.0, -10.0, 10.0, 10.0)), Rect::new(0.0, -10.0, 210.0, 66.0));
        assert_eq!(
            Rect::from_corners(Point::new(5.0, 9.0), Point::new(1.0, 3.0)),
            Rect::new(1.0, 3.0, 4.0, 6.0)
        );
    }

    #[test]
    fn segment_distance() {
        let (a, b) = (Point::new(0.0, 0.0), Point::new(10.0, 0.0));
        assert_eq!(Point::new(5.0, 3.0).distance_to_segment(a, b), 3.0);
        assert_eq!(Point::new(13.0, 4.0).distance_to_segment(a, b), 5.0);
        assert_eq!(Point::new(3.0, 4.0).distance_to_segment(a, a), 5.0);
    }

    #[test]
    fn boxes_grow_with_their_ports() {
        assert_eq!(stage_height(&ports(1, 1)), STAGE_HEIGHT);
        assert_eq!(stage_height(&ports(1, 2)), STAGE_HEIGHT);
        assert_eq!(stage_height(&ports(1, 4)), 90.0);
    }

    #[test]
    fn ports_are_evenly_spaced_on_their_edge() {
        let r = Rect::new(100.0, 40.0, STAGE_WIDTH, 60.0);
        assert_eq!(port_anchor(&r, PortDirection::Input, 0, 1), Point::new(100.0, 70.0));
        assert_eq!(port_anchor(&r, PortDirection::Output, 0, 2), Point::new(260.0, 60.0));
        assert_eq!(port_anchor(&r, PortDirection::Output, 1, 2), Point::new(260.0, 80.0));
    }

    #[test]
    fn edge_paths_are_cubics_leaving_right_and_arriving_left() {
        let d = edge_path(Point::new(0.0, 0.0), Point::new(200.0, 50.5));
        assert_eq!(d, "M 0 0 C 100 0, 100 50.5, 200 50.5");
        let back = edge_path(Point::new(100.0, 0.0), Point::new(80.0, 0.0));
        assert_eq!(back, "M 100 0 C 140 0, 40 0, 80 0");
        assert_eq!(num(1.0 / 3.0), "0.33");
        assert_eq!(num(-0.001), "0");
    }

    #[test]
    fn samples_run_from_end_to_end_along_the_curve() {
        let points = sample_edge(Point::new(0.0, 0.0), Point::new(200.0, 100.0), 4);
        assert_eq!(points.len(), 5);
        assert_eq!(points[0], Point::new(0.0, 0.0));
        assert_eq!(points[4], Point::new(200.0, 100.0));
        // By symmetry the curve's midpoint is the midpoint of the ends.
        assert_eq!(points[2], Point::new(100.0, 50.0));
    }

    #[test]
    fn screen_and_world_convert_both_ways() {
        let v = Viewport { pan_x: 100.0, pan_y: -50.0, zoom: 2.0 };
        assert_eq!(v.to_screen(Point::new(10.0, 10.0)), Point::new(120.0, -30.0));
        assert_eq!(v.to_world(Point::new(120.0, -30.0)), Point::new(10.0, 10.0));
        assert_eq!(v.visible_world(200.0, 100.0), Rect::new(-50.0, 25.0, 100.0, 50.0));
        assert_eq!(v.svg_transform(), "translate(100 -50) scale(2)");
    }

    #[test]
    fn zooming_keeps_the_point_under_the_cursor_fixed() {
        let mut v = Viewport { pan_x: 30.0, pan_y: 40.0, zoom: 1.0 };
        let cursor = Point::new(400.0, 300.0);
        let under = v.to_world(cursor);
        v.zoom_about(cursor, 1.5);
        assert_eq!(v.zoom, 1.5);
        let after = v.to_world(cursor);
        assert!(after.distance(under) < 1e-9, "{after:?} != {under:?}");
        v.zoom_about(cursor, 0.5);
        assert!(v.to_world(cursor).distance(under) < 1e-9);
    }

    #[test]
    fn zoom_is_clamped() {
        let mut v = Viewport::default();
        v.zoom_about(Point::new(10.0, 10.0), 100.0);
        assert_eq!(v.zoom, MAX_ZOOM);
        assert!(v.to_world(Point::new(10.0, 10.0)).distance(Point::new(10.0, 10.0)) < 1e-9);
        v.zoom_about(Point::new(0.0, 0.0), 0.0001);
        assert_eq!(v.zoom, MIN_ZOOM);
        v.zoom_about(Point::new(0.0, 0.0), f64::NAN);
        assert_eq!(v.zoom, MIN_ZOOM);
    }

    #[test]
    fn centring_keeps_the_zoom() {
        let v =
            Viewport { pan_x: 5.0, pan_y: 5.0, zoom: 2.0 }.centered_on(Point::new(100.0, 50.0), 800.0, 600.0);
        assert_eq!(v.zoom, 2.0);
        assert_eq!(v.to_screen(Point::new(100.0, 50.0)), Point::new(400.0, 300.0));
    }

    #[test]
    fn fit_centres_the_bounds_within_the_margin() {
        // 2000 × 500 world into 1000 × 600 with 50 margin: room 900 × 500, zoom 0.45.
        let v = Viewport::fit(&Rect::new(0.0, 0.0, 2000.0, 500.0), 1000.0, 600.0, 50.0);
        assert_eq!(v.zoom, 0.45);
        assert_eq!(v.to_screen(Point::new(1000.0, 250.0)), Point::new(500.0, 300.0));
        assert_eq!(v.to_screen(Point::new(0.0, 0.0)).x, 50.0);
        // One small box is shown at zoom 1, centred.
        let one = Viewport::fit(&Rect::new(40.0, 40.0, 160.0, 56.0), 1000.0, 600.0, 50.0);
        assert_eq!(one.zoom, 1.0);
        assert_eq!(one.to_screen(Point::new(120.0, 68.0)), Point::new(500.0, 300.0));
    }
}
