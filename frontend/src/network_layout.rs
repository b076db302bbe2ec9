//! Where the relationship network's nodes are drawn: the account in the middle, the accounts
//! one hop away on a ring around it, two hops on the next ring, and so on. Computed apart from
//! drawing so it is tested.

use uuid::Uuid;

/// A node placed on the drawing, in the SVG's user units.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub id: Uuid,
    pub x: f64,
    pub y: f64,
}

/// The drawing's side (it is square) and the distance between rings.
pub const SIZE: f64 = 360.0;
const MARGIN: f64 = 40.0;

/// Places `(id, depth)` nodes on rings by depth, evenly around each ring (in the order given,
/// so the same network always looks the same). Depth 0 is the centre.
pub fn radial_layout(nodes: &[(Uuid, u32)]) -> Vec<Placed> {
    let centre = SIZE / 2.0;
    let deepest = nodes.iter().map(|(_, d)| *d).max().unwrap_or(0).max(1);
    let ring = (centre - MARGIN) / f64::from(deepest);
    let mut placed = Vec::with_capacity(nodes.len());
    for depth in 0..=deepest {
        let on_ring: Vec<Uuid> = nodes
            .iter()
            .filter(|(_, d)| *d == depth)
            .map(|(id, _)| *id)
            .collect();
        let count = on_ring.len() as f64;
        let radius = ring * f64::from(depth);
        // Each ring starts a little further round, so edges between rings rarely overlap.
        let offset = f64::from(depth) * 0.5;
        for (i, id) in on_ring.into_iter().enumerate() {
            let angle = offset + std::f64::consts::TAU * (i as f64) / count;
            let (x, y) = if depth == 0 && count == 1.0 {
                (centre, centre)
            } else {
                (centre + radius * angle.cos(), centre + radius * angle.sin())
            };
            placed.push(Placed { id, x, y });
        }
    }
    placed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn distance(p: &Placed) -> f64 {
        ((p.x - SIZE / 2.0).powi(2) + (p.y - SIZE / 2.0).powi(2)).sqrt()
    }

    #[test]
    fn the_root_is_central_and_rings_grow_with_depth() {
        let nodes = [(id(1), 0), (id(2), 1), (id(3), 1), (id(4), 2)];
        let placed = radial_layout(&nodes);
        assert_eq!(placed.len(), 4);
        assert_eq!((placed[0].x, placed[0].y), (SIZE / 2.0, SIZE / 2.0));
        let one = distance(&placed[1]);
        assert!((one - distance(&placed[2])).abs() < 1e-9);
        assert!(distance(&placed[3]) > one + 1.0);
        // Nothing is drawn outside the square.
        for p in &placed {
            assert!(
                p.x >= 0.0 && p.x <= SIZE && p.y >= 0.0 && p.y <= SIZE,
                "{p:?}"
            );
        }
    }

    #[test]
    fn nodes_on_a_ring_do_not_overlap() {
        let nodes: Vec<(Uuid, u32)> = std::iter::once((id(0), 0))
            .chain((1..=6).map(|n| (id(n), 1)))
            .collect();
        let placed = radial_layout(&nodes);
        for a in &placed[1..] {
            for b in &placed[1..] {
                if a.id != b.id {
                    let gap = ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt();
                    assert!(gap > 30.0, "{a:?} {b:?}");
                }
            }
        }
    }

    #[test]
    fn a_lone_account_and_an_empty_network() {
        assert_eq!(radial_layout(&[]), Vec::new());
        let lone = radial_layout(&[(id(7), 0)]);
        assert_eq!(lone[0].x, SIZE / 2.0);
    }
}
